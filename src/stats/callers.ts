/**
 * What an analyst looks at first in a trail: when people call and when automation does (by hour
 * of the day), and who calls most. Read from the records alone, as a reader of a real trail would.
 */

/** Counters of callers, kept beside a tree's other counters. */
export interface CallerStats {
  /** Calls by people per UTC hour of the day, 0..23. */
  peopleByHour: number[];
  /** Calls by automation (roles of jobs and functions, service principals) per UTC hour of the day. */
  automationByHour: number[];
  /** Calls per caller: the identity's ARN with its session (a person, a job), or the service. */
  byCaller: Record<string, number>;
}

/** A record's fields the caller counters read. */
export interface CallerFields {
  eventTime?: string;
  userAgent?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
}

export function emptyCallerStats(): CallerStats {
  return {
    peopleByHour: new Array<number>(24).fill(0),
    automationByHour: new Array<number>(24).fill(0),
    byCaller: {},
  };
}

/**
 * Whether a person made the call: root, a federated user, an Identity Center session
 * (AWSReservedSSO_ roles), anyone using the console, or an IAM user at the CLI. Jobs, functions,
 * scripts and services are automation.
 *
 * @example isPerson({ userIdentity: { type: 'Root' } }) // true
 */
export function isPerson(r: CallerFields): boolean {
  const u = r.userIdentity;
  const ua = r.userAgent ?? '';
  if (!u || u.invokedBy) return false;
  if (u.type === 'Root' || u.type === 'FederatedUser') return true;
  if (/\/AWSReservedSSO_/.test(u.sessionContext?.sessionIssuer?.arn ?? u.arn ?? '')) return true;
  if (/console\.amazonaws\.com|signin\.amazonaws\.com/.test(ua)) return true;
  // An IAM user at a terminal; a role using the CLI is a CI job.
  return u.type === 'IAMUser' && /^aws-cli\//.test(ua);
}

/** Adds one record to the caller counters. */
export function addCaller(stats: CallerStats, r: CallerFields): void {
  const caller = r.userIdentity?.arn ?? r.userIdentity?.invokedBy ?? `(${r.userIdentity?.type ?? 'unknown'})`;
  stats.byCaller[caller] = (stats.byCaller[caller] ?? 0) + 1;
  const t = r.eventTime ? Date.parse(r.eventTime) : NaN;
  if (Number.isNaN(t)) return;
  const hour = new Date(t).getUTCHours();
  (isPerson(r) ? stats.peopleByHour : stats.automationByHour)[hour]!++;
}

/**
 * The report's lines: calls by hour of the day for people and for automation, in the zone
 * `utcOffset` hours from UTC (the office's, to read working hours), and the busiest callers.
 */
export function formatCallers(stats: CallerStats, utcOffset: number, top = 15): string[] {
  const zone = utcOffset === 0 ? 'UTC' : `UTC${utcOffset > 0 ? '+' : ''}${utcOffset}`;
  const shift = Math.round(utcOffset);
  const lines = [`Calls by hour of the day (${zone}): people, automation`];
  const peak = Math.max(1, ...stats.peopleByHour, ...stats.automationByHour);
  for (let h = 0; h < 24; h++) {
    const utc = (((h - shift) % 24) + 24) % 24;
    const p = stats.peopleByHour[utc]!;
    const a = stats.automationByHour[utc]!;
    const bar = (n: number, c: string): string => c.repeat(Math.round((20 * n) / peak));
    lines.push(
      `  ${String(h).padStart(2, '0')}:00  ${String(p).padStart(7)}  ${String(a).padStart(7)}  ${bar(p, '#')}${bar(a, '.')}`,
    );
  }
  const rows = Object.entries(stats.byCaller).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  lines.push('', `Busiest callers (${rows.length})`);
  for (const [k, n] of rows.slice(0, top)) lines.push(`  ${String(n).padStart(9)}  ${k}`);
  return lines;
}
