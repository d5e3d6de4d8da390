/**
 * The Regions where Amazon DevOps Guru runs.
 * https://docs.aws.amazon.com/general/latest/gr/devops-guru.html
 */
export const DEVOPS_GURU_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
] as const;

export type DevOpsGuruRegion = (typeof DEVOPS_GURU_REGIONS)[number];

/** UTC offset in hours of the working day of people whose home is in a Region (for daily curves). */
export const REGION_UTC_OFFSET: Readonly<Record<string, number>> = {
  'us-east-1': -5,
  'us-east-2': -5,
  'us-west-1': -8,
  'us-west-2': -8,
  'ap-south-1': 5.5,
  'ap-northeast-1': 9,
  'ap-northeast-2': 9,
  'ap-southeast-1': 8,
  'ap-southeast-2': 10,
  'ca-central-1': -5,
  'eu-central-1': 1,
  'eu-west-1': 0,
  'eu-west-2': 0,
  'eu-west-3': 1,
  'eu-north-1': 1,
  'sa-east-1': -3,
};
