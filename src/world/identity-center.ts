/**
 * IAM Identity Center as CloudTrail shows it. An organization has one Identity Center instance,
 * in one Region, so the role of every permission set in every account has the path
 * `/aws-reserved/sso.amazonaws.com/<that Region>/`, and a person's role session name is their
 * Identity Center user name, the same in every account.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/regions.html
 */

/** The IAM path of the roles Identity Center provisions for its permission sets. */
export function identityCenterPath(region: string): string {
  return `/aws-reserved/sso.amazonaws.com/${region}/`;
}

/** True for a role Identity Center provisioned (its path is under `/aws-reserved/sso.amazonaws.com/`). */
export function isIdentityCenterPath(path: string): boolean {
  return path.startsWith('/aws-reserved/sso.amazonaws.com/');
}

/**
 * A person's Identity Center user name: their work email, as directories synchronised from an
 * identity provider (Okta, Entra ID, Google) name users.
 */
export function identityCenterUserName(person: { email: string }): string {
  return person.email;
}
