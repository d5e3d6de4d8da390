/** The identity types CloudTrail records for callers of DevOps Guru. */
export type IdentityType = 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'Root' | 'AWSService';

export const IDENTITY_TYPES: readonly IdentityType[] = [
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'Root',
  'AWSService',
];
