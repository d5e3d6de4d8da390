/** The CloudTrail eventVersions a run may write (see render/version.ts for what each adds). */
export const EVENT_VERSIONS = [
  '1.0',
  '1.01',
  '1.02',
  '1.03',
  '1.04',
  '1.05',
  '1.06',
  '1.07',
  '1.08',
  '1.09',
  '1.10',
  '1.11',
];
