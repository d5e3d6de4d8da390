import type { Rng } from '../shared/rng.js';
import type { Principal } from '../world/principal.js';
import type { Client } from '../world/clients.js';
import { isoSeconds } from '../shared/time.js';
import { accessKeyId } from '../world/access-key.js';
import { sessionNameAt } from '../world/session-names.js';

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

/** Kinds of credential slot: a long-term key's day, a job's own session, a session on a grid. */
const KEY_DAY = 0;
const JOB = 1;
const GRID = 2;

/** Which kind of slot a call's credentials come from (see `slotOf`). */
function slotKind(p: Principal, client: Client, jobStart?: number): number {
  if (p.type === 'IAMUser' && client.kind !== 'console') return KEY_DAY;
  if (p.sessionStyle === 'job' && jobStart !== undefined) return JOB;
  return GRID;
}

/** The slot's number within its kind: a day, a job's start, or a session's place on the grid. */
function slotNumber(kind: number, p: Principal, client: Client, time: number, jobStart?: number): number {
  if (kind === KEY_DAY) return Math.floor(time / (24 * HOUR));
  if (kind === JOB) return jobStart!;
  // Each principal's sessions renew on its own grid, not all at the same instant.
  return Math.floor((time - p.sessionPhase) / sessionLength(p, client.kind === 'console'));
}

/**
 * Which credentials of a principal a call at `time` uses: a long-term key's day (`key/<day>`), or
 * a session's slot per client kind (`<kind>/s/<n>`, or `<kind>/job/<start>` for a job's own session).
 */
function slotOf(p: Principal, client: Client, time: number, jobStart?: number): string {
  const kind = slotKind(p, client, jobStart);
  const n = slotNumber(kind, p, client, time, jobStart);
  return kind === KEY_DAY ? `key/${n}` : `${client.kind}/${kind === JOB ? 'job' : 's'}/${n}`;
}

/**
 * The label of the random stream a call's credentials come from. Calls with the same label share
 * their credentials.
 *
 * @example sessionLabel(role, cliClient, Date.UTC(2026, 10, 1, 9)) // 'session/<principal key>/aws-cli/s/70920'
 */
export function sessionLabel(p: Principal, client: Client, time: number, jobStart?: number): string {
  const slot = slotOf(p, client, time, jobStart);
  return slot.startsWith('key/') ? `key/${p.key}/${slot.slice(4)}` : `session/${p.key}/${slot}`;
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
  const rng = root.fork(sessionLabel(p, client, time, jobStart));
  if (p.type === 'IAMUser' && !console) {
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
  const slotStart = job ? jobStart : Math.floor((time - p.sessionPhase) / len) * len + p.sessionPhase;
  // A session starts before its first call: a job's a few seconds before, others up to half an
  // hour before their slot; whole seconds, never after the call.
  const lead = job ? rng.int(2, 40) : rng.int(5, 1800);
  const creationDate = Math.min(
    Math.floor(time / 1000) * 1000,
    Math.floor((slotStart - lead * 1000) / 1000) * 1000,
  );
  const sessionName = sessionNameAt(
    p.sessionNames.length > 0 ? rng.pick(p.sessionNames) : p.name,
    creationDate,
    rng,
  );
  return {
    accessKeyId: accessKeyId('ASIA', p.accountId, rng),
    sessionName,
    creationDate,
    console,
    mfa: p.mfa,
    sourceIp: sourceIp(rng),
  };
}

/** What a record needs of a call's credentials, serialised once per session. */
export interface SessionRecordParts {
  /** The caller's ARN (error messages, the render context). */
  arn: string;
  /** `userIdentity` as JSON text, in UTF-8. */
  identityBytes: Buffer;
  /** The source IP address as JSON text, in UTF-8. */
  sourceIpBytes: Buffer;
  console: boolean;
}

/**
 * Sessions already drawn, by `sessionLabel`: a session's calls reuse its credentials and its
 * serialised userIdentity instead of seeding a stream and serialising per call. Every entry is a
 * pure function of its label (a long-term key's userIdentity has no creation date), so the cache
 * changes no output, whatever was rendered before; it is emptied when it reaches `limit` entries
 * to keep memory flat.
 *
 * @example
 * const sessions = new SessionCache(root.fork('render'));
 * sessions.get(principal, client, time, (r) => hostIn(r.pick(principal.sourceRanges), r)).identityBytes;
 */
export class SessionCache {
  // principal → client kind → slot kind → slot number → parts: numbers and interned strings as
  // keys, so a lookup builds no label.
  private readonly byPrincipal = new Map<Principal, Map<string, Map<number, SessionRecordParts>[]>>();
  private size = 0;
  // The last session looked up, by its slot: calls come in runs by one principal and client (an
  // activity, a poll), most of a run in one session, and this spares them the three map lookups.
  private lastPrincipal: Principal | null = null;
  private lastClientKind = '';
  private lastKind = -1;
  private lastSlot = NaN;
  private lastParts: SessionRecordParts | null = null;

  constructor(
    private readonly root: Rng,
    private readonly partition = 'aws',
    private readonly limit = 4096,
  ) {}

  get(
    p: Principal,
    client: Client,
    time: number,
    sourceIp: (rng: Rng) => string,
    jobStart?: number,
  ): SessionRecordParts {
    // A job's session created after its call would take the call's time: not a function of the label.
    if (jobStart !== undefined && jobStart > time)
      return this.partsOf(sessionFor(this.root, p, client, time, sourceIp, jobStart), p);
    const kind = slotKind(p, client, jobStart);
    const n = slotNumber(kind, p, client, time, jobStart);
    const last = this.lastParts;
    if (
      last !== null &&
      p === this.lastPrincipal &&
      client.kind === this.lastClientKind &&
      kind === this.lastKind &&
      n === this.lastSlot
    )
      return last;
    let parts = this.slots(p, client)[kind]!.get(n);
    if (!parts) {
      parts = this.partsOf(sessionFor(this.root, p, client, time, sourceIp, jobStart), p);
      if (this.size >= this.limit) {
        this.byPrincipal.clear();
        this.size = 0;
      }
      this.slots(p, client)[kind]!.set(n, parts);
      this.size++;
    }
    this.lastPrincipal = p;
    this.lastClientKind = client.kind;
    this.lastKind = kind;
    this.lastSlot = n;
    this.lastParts = parts;
    return parts;
  }

  /** The principal's slots for the client's kind, one map per kind of slot. */
  private slots(p: Principal, client: Client): Map<number, SessionRecordParts>[] {
    let byClient = this.byPrincipal.get(p);
    if (!byClient) this.byPrincipal.set(p, (byClient = new Map()));
    let slots = byClient.get(client.kind);
    if (!slots) byClient.set(client.kind, (slots = [new Map(), new Map(), new Map()]));
    return slots;
  }

  private partsOf(s: Session, p: Principal): SessionRecordParts {
    return {
      arn: callerArn(p, s, this.partition),
      identityBytes: Buffer.from(JSON.stringify(userIdentity(p, s, this.partition)), 'utf8'),
      sourceIpBytes: Buffer.from(JSON.stringify(s.sourceIp), 'utf8'),
      console: s.console,
    };
  }
}

/**
 * `userIdentity` exactly as CloudTrail writes it for the principal's type, once serialised: a
 * member left undefined (an AssumedRole's invokedBy, for most roles) is not written.
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
    case 'AssumedRole':
      // invokedBy (a service acting through a role) is in the literal, undefined for most roles
      // and so left out by JSON.stringify, rather than added afterwards (docs/hot-path.md, rule 3).
      return {
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
        invokedBy: p.invokedBy || undefined,
      };
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
