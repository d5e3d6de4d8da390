import { prepare, type Prepared } from '../../src/pipeline/generate.js';
import { recordLines } from '../../src/pipeline/records.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import type { Principal } from '../../src/world/principal.js';

/** What an analyst reads of a record. */
export interface WeekRecord {
  eventTime: string;
  eventName: string;
  awsRegion: string;
  userAgent: string;
  recipientAccountId: string;
  readOnly: boolean;
  userIdentity: {
    type?: string;
    arn?: string;
    userName?: string;
    accountId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { userName?: string; arn?: string } };
  };
  requestParameters: Record<string, unknown> | null;
  /** Epoch ms of eventTime. */
  time: number;
}

export interface Week {
  prepared: Prepared;
  records: WeekRecord[];
}

const weeks = new Map<string, Week>();

/**
 * A generated week (Monday 2026-11-02 to Monday 2026-11-09) as records, built once per seed and
 * volume for the test files that read it.
 */
export function generatedWeek(seed = 7, events = 30_000): Week {
  const key = `${seed}/${events}`;
  let week = weeks.get(key);
  if (!week) {
    const prepared = prepare(
      resolveScenario({ seed, events, start: '2026-11-02T00:00:00Z', end: '2026-11-09T00:00:00Z' }),
    );
    const records: WeekRecord[] = [];
    for (const line of recordLines(prepared, 'cloudtrail')) {
      const r = JSON.parse(line) as Omit<WeekRecord, 'time'>;
      records.push({ ...r, time: Date.parse(r.eventTime) });
    }
    weeks.set(key, (week = { prepared, records }));
  }
  return week;
}

/**
 * The principal of the world that made a record, found as an analyst would: by account and the
 * IAM user, role or federated user name the record's identity shows.
 */
export function principalOf(week: Week, r: WeekRecord): Principal | undefined {
  const account = week.prepared.world.accounts.find((a) => a.id === r.recipientAccountId);
  if (!account) return undefined;
  const u = r.userIdentity;
  const name =
    u.type === 'Root'
      ? 'root'
      : u.type === 'IAMUser'
        ? u.userName
        : u.type === 'AssumedRole'
          ? u.sessionContext?.sessionIssuer?.userName
          : u.type === 'FederatedUser'
            ? u.arn?.split('/').pop()
            : u.invokedBy;
  return account.principals.find((p) => p.name === name);
}
