/**
 * Which program made a call, read from its user agent, and whether a person or automation was
 * behind it. Works on any trail's records, not only trailsim's: the families are those of the AWS
 * console, CLI and SDKs as they sign their user agents.
 */

/** Ordered: the first pattern that matches names the client. */
const FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^aws-internal\/|^signin\.amazonaws\.com$|console/i, 'console'],
  [/^aws-cli\//, 'aws-cli'],
  [/Terraform\//, 'terraform'],
  [/^(?:Boto3|Botocore)\//, 'boto3'],
  [/^aws-sdk-js\//, 'sdk-js'],
  [/^aws-sdk-java\//, 'sdk-java'],
  [/^aws-sdk-go(?:-v2)?\//, 'sdk-go'],
  [/^aws-sdk-(?:dotnet|ruby|php|rust|cpp)/, 'sdk-other'],
];

/** Clients a person drives by hand; calls from the rest are automation. */
const INTERACTIVE = new Set(['console', 'aws-cli']);

/**
 * The client family of a user agent: `console`, `aws-cli`, `boto3`, `sdk-js`, `terraform`, …, an
 * AWS service's host name (`cloudformation.amazonaws.com`) for calls a service made, or the agent's
 * first token for anything else.
 *
 * @example clientOf('aws-cli/2.36.8 md/awscrt#0.28.4 ua/2.1 os/linux#6.1') // 'aws-cli'
 * @example clientOf('APN/1.0 HashiCorp/1.0 Terraform/1.9.8 …') // 'terraform'
 */
export function clientOf(userAgent: string | undefined): string {
  if (!userAgent) return '(none)';
  for (const [pattern, family] of FAMILIES) if (pattern.test(userAgent)) return family;
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(userAgent)) return userAgent;
  return userAgent.split(/[\s/]/)[0] || '(none)';
}

/**
 * Whether a call was made by a person (the console, the CLI, or the root user, which only people
 * sign in as) or by automation (SDKs, infrastructure tools, AWS services).
 *
 * @example actorOf('AssumedRole', 'console') // 'person'
 * @example actorOf('AWSService', 'ssm.amazonaws.com') // 'automation'
 */
export function actorOf(identityType: string, client: string): 'person' | 'automation' {
  if (identityType === 'AWSService') return 'automation';
  return identityType === 'Root' || INTERACTIVE.has(client) ? 'person' : 'automation';
}

/**
 * The kind of a failed call: `denied` (the caller lacks permission), `throttled`, or `other`.
 *
 * @example errorKindOf('AccessDeniedException') // 'denied'
 */
export function errorKindOf(errorCode: string): 'denied' | 'throttled' | 'other' {
  if (/AccessDenied|Unauthorized|NotAuthorized|Forbidden/i.test(errorCode)) return 'denied';
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(errorCode)) return 'throttled';
  return 'other';
}
