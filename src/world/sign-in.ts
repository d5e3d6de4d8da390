import type { IdentityType } from './principal.js';
import { isIdentityCenterPath } from './identity-center.js';

/**
 * How each person signs in to AWS: through Identity Center, as an IAM user, or as a federated user
 * of a broker (GetFederationToken). A person has one way in, the same in every account, so no one
 * is at once an IAM user, a federated user and an Identity Center user.
 */
export interface SignIns<P> {
  identityCenter: P[];
  iamUsers: P[];
  federated: P[];
}

/**
 * Splits the company's people by how they sign in, by their place in the world's list (so the
 * split is the same in every account): most through Identity Center, a few long-standing IAM
 * users, one or two through a federation broker.
 *
 * @example signInsOf(people14).iamUsers.length // 3
 */
export function signInsOf<P>(people: readonly P[]): SignIns<P> {
  const n = people.length;
  const federated = Math.max(1, Math.round(n / 14));
  const iam = Math.max(1, Math.round((3 * n) / 14));
  const sso = Math.max(1, n - iam - federated);
  return {
    identityCenter: people.slice(0, sso),
    iamUsers: people.slice(sso, sso + iam),
    federated: people.slice(sso + iam),
  };
}

/**
 * Whether a principal's sessions can carry `mfaAuthenticated: "true"`. Identity Center and other
 * SAML sessions carry "false" (MFA happened at the identity provider, not in STS), and so do
 * GetFederationToken sessions; IAM users and root who sign in with MFA carry "true".
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export function signsInWithMfa(type: IdentityType, path: string): boolean {
  if (type === 'FederatedUser') return false;
  return !(type === 'AssumedRole' && isIdentityCenterPath(path));
}
