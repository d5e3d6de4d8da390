import type { Rng } from '../random/rng.js';
import type { Principal } from '../world/principal.js';
import type { Client } from '../world/clients.js';
import { isoSeconds } from './time.js';

const HOUR = 3_600_000;

/**
 * The credentials behind one call: which key signed it, under which session, and how the
 * session began. Derived from the principal, the client and the time, so that every call in the
 * same session carries the same key, session name and creation date.
 */
export interface Session {
  accessKeyId: string;
  sessionName: string;
  /** Epoch ms, never after the calls made with it. */
  creationDate: number;
  console: boolean;
  mfa: boolean;
  sourceIp: string;
}

/** How long a session lasts before new credentials, per style. */
function sessionLength(p: Principal, console: boolean): number {
  if (console) return (p.type === 'Root' ? 1 : 4) * HOUR;
  switch (p.sessionStyle) {
    case 'interactive':
      return 8 * HOUR;
    case 'rotating':
      return 6 * HOUR;
    default:
      return HOUR;
  }
}

/**
 * The session a principal's call at `time` belongs to. `root` is the run's top random stream: the
 * session depends only on it, the principal, the client and the session slot, never on the window.
 * `jobStart` gives job-style sessions (CI runs) their own credentials per job.
 */
export function sessionFor(
  root: Rng,
  p: Principal,
  client: Client,
  time: number,
  sourceIp: (rng: Rng) => string,
  jobStart?: number,
): Session {
  const console = client.kind === 'console';
  if (p.type === 'IAMUser' && !console) {
    const rng = root.fork(`key/${p.key}/${Math.floor(time / (24 * HOUR))}`);
    return {
      accessKeyId: rng.pick(p.accessKeys),
      sessionName: p.name,
      creationDate: time,
      console: false,
      mfa: false,
      sourceIp: sourceIp(rng),
    };
  }
  const len = sessionLength(p, console);
  const job = p.sessionStyle === 'job' && jobStart !== undefined;
  // Each principal's sessions renew on its own grid, not all at the same instant.
  const index = Math.floor((time - p.sessionPhase) / len);
  const slot = job ? `job/${jobStart}` : `s/${index}`;
  const rng = root.fork(`session/${p.key}/${client.kind}/${slot}`);
  const slotStart = job ? jobStart : index * len + p.sessionPhase;
  // A session starts before its first call: a job's a few seconds before, others up to half an
  // hour before their slot; whole seconds, never after the call.
  const lead = job ? rng.int(2, 40) : rng.int(5, 1800);
  const creationDate = Math.min(
    Math.floor(time / 1000) * 1000,
    Math.floor((slotStart - lead * 1000) / 1000) * 1000,
  );
  let sessionName = p.sessionNames.length > 0 ? rng.pick(p.sessionNames) : p.name;
  if (p.sessionStyle === 'job' && sessionName === 'terraform')
    sessionName = `aws-go-sdk-${creationDate + rng.int(0, 999)}`;
  else if (p.sessionStyle === 'job') sessionName = `${sessionName}-${rng.int(1_000_000, 9_999_999)}`;
  return {
    accessKeyId: `ASIA${rng.iamId(16)}`,
    sessionName,
    creationDate,
    console,
    mfa: p.mfa,
    sourceIp: sourceIp(rng),
  };
}

/**
 * `userIdentity` exactly as CloudTrail writes it for the principal's type.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export function userIdentity(p: Principal, s: Session, partition: string): Record<string, unknown> {
  const attributes = { creationDate: isoSeconds(s.creationDate), mfaAuthenticated: s.mfa ? 'true' : 'false' };
  switch (p.type) {
    case 'IAMUser': {
      const base = {
        type: 'IAMUser',
        principalId: p.uniqueId,
        arn: `arn:${partition}:iam::${p.accountId}:user/${p.name}`,
        accountId: p.accountId,
        accessKeyId: s.accessKeyId,
        userName: p.name,
      };
      if (!s.console) return base;
      return { ...base, sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes } };
    }
    case 'AssumedRole': {
      const identity: Record<string, unknown> = {
        type: 'AssumedRole',
        principalId: `${p.uniqueId}:${s.sessionName}`,
        arn: `arn:${partition}:sts::${p.accountId}:assumed-role/${p.name}/${s.sessionName}`,
        accountId: p.accountId,
        accessKeyId: s.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: p.uniqueId,
            arn: `arn:${partition}:iam::${p.accountId}:role${p.path}${p.name}`,
            accountId: p.accountId,
            userName: p.name,
          },
          webIdFederationData: {},
          attributes,
        },
      };
      if (p.invokedBy) identity.invokedBy = p.invokedBy;
      return identity;
    }
    case 'FederatedUser':
      return {
        type: 'FederatedUser',
        principalId: `${p.accountId}:${p.name}`,
        arn: `arn:${partition}:sts::${p.accountId}:federated-user/${p.name}`,
        accountId: p.accountId,
        accessKeyId: s.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'IAMUser',
            principalId: p.issuer!.uniqueId,
            arn: `arn:${partition}:iam::${p.accountId}:user/${p.issuer!.name}`,
            accountId: p.accountId,
            userName: p.issuer!.name,
          },
          webIdFederationData: {},
          attributes,
        },
      };
    case 'Root':
      return {
        type: 'Root',
        principalId: p.accountId,
        arn: `arn:${partition}:iam::${p.accountId}:root`,
        accountId: p.accountId,
        accessKeyId: s.accessKeyId,
        sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes },
      };
    case 'AWSService':
      return { type: 'AWSService', invokedBy: p.invokedBy };
  }
}

/** The ARN a principal acts as, for error messages and the render context. */
export function callerArn(p: Principal, s: Session, partition: string): string {
  switch (p.type) {
    case 'IAMUser':
      return `arn:${partition}:iam::${p.accountId}:user/${p.name}`;
    case 'AssumedRole':
      return `arn:${partition}:sts::${p.accountId}:assumed-role/${p.name}/${s.sessionName}`;
    case 'FederatedUser':
      return `arn:${partition}:sts::${p.accountId}:federated-user/${p.name}`;
    case 'Root':
      return `arn:${partition}:iam::${p.accountId}:root`;
    case 'AWSService':
      return p.invokedBy ?? 'AWS Internal';
  }
}
