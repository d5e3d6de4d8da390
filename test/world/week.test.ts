import { beforeAll, describe, expect, it } from 'vitest';
import { actorOf, generateRun, timeOf, WEEK, type Run, type TrailRecord } from './week-run.js';

const HOUR = 3_600_000;
/** DevOps Guru insight and anomaly IDs: 64 characters of base64url-like text starting with A. */
const DEVOPS_GURU_ID = /^A[\w-]{63}$/;

let run: Run;
beforeAll(() => {
  run = generateRun(WEEK);
});

/** Every string in a request, with the member name it sits under. */
function strings(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
  if (value && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => strings(v, k));
  return [];
}

/** The fields of an insight this test reads (templates/devops-guru/service.json declares them). */
interface InsightFields {
  id: string;
  startTime: number;
  anomalyIds: string[];
}

interface Known {
  insight: InsightFields;
  /** When a DeleteInsight call removed it, if one did. */
  deleted: number | undefined;
}

/** Insights and anomalies of the world, by account, Region and ID. */
function knownIds(r: Run): Map<string, Known> {
  const deleted = new Map<string, number>();
  for (const c of r.prepared.lifecycles)
    if (c.change.entity === 'insight') deleted.set(c.change.instance.key, c.time);
  const kind = r.prepared.world.entities.byName.get('insight')!.index;
  const known = new Map<string, Known>();
  for (const a of r.prepared.world.accounts)
    for (const [region, res] of Object.entries(a.resources))
      for (const i of res.instances[kind]!) {
        const insight = i.open as unknown as InsightFields;
        const k = { insight, deleted: deleted.get(insight.id) };
        known.set(`${a.id}/${region}/${insight.id}`, k);
        for (const anomaly of insight.anomalyIds) known.set(`${a.id}/${region}/${anomaly}`, k);
      }
  return known;
}

describe('a week of the default demo world', () => {
  it('has the exact number of records', () => {
    expect(run.records).toHaveLength(WEEK.events!);
  });

  it('names only insights and anomalies that exist at the event time, and only missing ones when not found', () => {
    const known = knownIds(run);
    const problems: string[] = [];
    let live = 0;
    let missing = 0;
    for (const r of run.records) {
      const t = timeOf(r);
      for (const [member, value] of strings(r.requestParameters)) {
        if (!DEVOPS_GURU_ID.test(value)) continue;
        const k = known.get(`${r.recipientAccountId}/${r.awsRegion}/${value}`);
        const exists =
          k !== undefined && k.insight.startTime <= t && (k.deleted === undefined || k.deleted >= t);
        const notFound = r.errorCode === 'ResourceNotFoundException';
        if (notFound) missing++;
        else live++;
        if (exists === notFound)
          problems.push(
            `${r.eventName} ${member}=${value} at ${r.eventTime}: exists ${exists}, ${r.errorCode}`,
          );
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // The week names thousands of them: the check above is not vacuous.
    expect(live).toBeGreaterThan(3000);
    expect(missing).toBeGreaterThan(5);
  });

  it('never names an insight after the DeleteInsight call that removed it', () => {
    const deletes = run.records.filter((r) => r.eventName === 'DeleteInsight' && !r.errorCode);
    expect(deletes.length).toBeGreaterThan(0);
    for (const d of deletes) {
      const id = (d.requestParameters as { Id: string }).Id;
      const later = run.records.filter(
        (r) =>
          timeOf(r) > timeOf(d) &&
          r.errorCode !== 'ResourceNotFoundException' &&
          strings(r.requestParameters).some(([, v]) => v === id),
      );
      expect(later.map((r) => `${r.eventName} ${r.eventTime}`)).toEqual([]);
    }
  });

  it('removes only notification channels that an earlier AddNotificationChannel created', () => {
    // Decision: RemoveNotificationChannel is made only by the world's planned changes, and those
    // remove channels added during the period, never ones that existed before it.
    const removes = run.records.filter((r) => r.eventName === 'RemoveNotificationChannel');
    expect(removes.length).toBeGreaterThan(0);
    for (const rm of removes) {
      const id = (rm.requestParameters as { Id: string }).Id;
      const adds = run.records.filter(
        (r) =>
          r.eventName === 'AddNotificationChannel' &&
          r.recipientAccountId === rm.recipientAccountId &&
          r.awsRegion === rm.awsRegion &&
          (r.responseElements as { Id?: string } | null)?.Id === id,
      );
      expect(adds, `channel ${id}`).toHaveLength(1);
      expect(timeOf(adds[0]!)).toBeLessThan(timeOf(rm));
    }
  });

  it('starts a cost estimation before anyone reads one', () => {
    const gets = run.records.filter((r) => r.eventName === 'GetCostEstimation');
    expect(gets.length).toBeGreaterThan(10);
    for (const g of gets) {
      const started = run.records.some(
        (r) =>
          r.eventName === 'StartCostEstimation' &&
          r.recipientAccountId === g.recipientAccountId &&
          r.awsRegion === g.awsRegion &&
          timeOf(r) < timeOf(g),
      );
      expect(started, `${g.recipientAccountId} ${g.awsRegion} ${g.eventTime}`).toBe(true);
    }
  });

  it('calls organization operations only from the management or delegated administrator account', () => {
    const admins = new Set(run.prepared.world.accounts.filter((a) => a.organizationAdmin).map((a) => a.id));
    const org = run.records.filter((r) => /Organization/.test(r.eventName));
    expect(org.length).toBeGreaterThan(100);
    for (const r of org) expect(admins.has(r.recipientAccountId), r.eventName).toBe(true);
  });

  it('keeps one session ID, key, source IP and user agent through each console session', () => {
    const sessions = new Map<string, TrailRecord[]>();
    for (const r of run.records) {
      if (r.sessionCredentialFromConsole !== 'true') continue;
      const key = String(r.userIdentity.accessKeyId);
      sessions.set(key, [...(sessions.get(key) ?? []), r]);
    }
    expect(sessions.size).toBeGreaterThan(100);
    let bursts = 0;
    for (const [key, rs] of sessions) {
      expect(key, 'a console session signs with temporary credentials').toMatch(/^ASIA[A-Z0-9]{16}$/);
      const one = (f: (r: TrailRecord) => unknown): void => {
        expect(new Set(rs.map(f)).size, key).toBe(1);
      };
      one((r) => r.userIdentity.principalId);
      one((r) => r.userIdentity.arn);
      one((r) => r.sourceIPAddress);
      one((r) => r.userAgent);
      const ctx = (r: TrailRecord): { attributes: { creationDate: string } } =>
        r.userIdentity.sessionContext as { attributes: { creationDate: string } };
      one((r) => ctx(r).attributes.creationDate);
      for (const r of rs) expect(Date.parse(ctx(r).attributes.creationDate)).toBeLessThanOrEqual(timeOf(r));
      for (const r of rs) expect(r.userAgent).toMatch(/^aws-internal\/3 aws-sdk-java\//);
      // A console visit is a burst: several reads within minutes.
      const times = rs.map(timeOf).sort((a, b) => a - b);
      if (times.some((t, i) => i > 0 && t - times[i - 1]! <= 60_000)) bursts++;
    }
    expect(bursts / sessions.size).toBeGreaterThan(0.8);
  });

  it('opens each console visit on the DevOps Guru dashboard', () => {
    const sessions = new Map<string, TrailRecord[]>();
    for (const r of run.records) {
      if (r.sessionCredentialFromConsole !== 'true') continue;
      const key = String(r.userIdentity.accessKeyId);
      sessions.set(key, [...(sessions.get(key) ?? []), r]);
    }
    let opened = 0;
    for (const rs of sessions.values()) {
      // The dashboard's requests leave within a second or two of each other.
      const begin = Math.min(...rs.map(timeOf));
      const start = new Set(rs.filter((r) => timeOf(r) <= begin + 2000).map((r) => r.eventName));
      if (['DescribeAccountHealth', 'DescribeAccountOverview', 'ListInsights'].every((op) => start.has(op)))
        opened++;
    }
    // A visit cut by the end of a session's time slot is the only exception.
    expect(opened / sessions.size).toBeGreaterThan(0.9);
  });

  it('never dates a session after the call made with it', () => {
    let checked = 0;
    const problems: string[] = [];
    for (const r of run.records) {
      const ctx = r.userIdentity.sessionContext as { attributes?: { creationDate: string } } | undefined;
      if (!ctx?.attributes) continue;
      const created = ctx.attributes.creationDate;
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(created) || Date.parse(created) > timeOf(r))
        problems.push(`${r.eventName} at ${r.eventTime} made with a session created ${created}`);
      checked++;
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(WEEK.events! / 2);
  });

  it('has a few principals doing most of the work', () => {
    // A principal is the caller's IAM identity: the role for assumed roles (all its sessions),
    // the user, federated user or root ARN otherwise, the service for AWS services.
    const counts = new Map<string, number>();
    for (const r of run.records) counts.set(actorOf(r), (counts.get(actorOf(r)) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top10 = sorted.slice(0, 10).reduce((s, n) => s + n, 0);
    expect(counts.size).toBeGreaterThan(20);
    expect(top10 / run.records.length).toBeGreaterThan(0.5);
  });

  it('follows the working day and the working week of each account', () => {
    for (const account of run.prepared.world.accounts) {
      const cells = new Map<string, number>();
      for (const r of run.records) {
        if (r.recipientAccountId !== account.id) continue;
        const local = new Date(timeOf(r) + account.utcOffset * HOUR);
        const k = `${local.getUTCDay()}/${local.getUTCHours()}`;
        cells.set(k, (cells.get(k) ?? 0) + 1);
      }
      const work: number[] = [];
      const night: number[] = [];
      const weekend: number[] = [];
      for (let day = 0; day < 7; day++)
        for (let hour = 0; hour < 24; hour++) {
          const n = cells.get(`${day}/${hour}`) ?? 0;
          if (day === 0 || day === 6) weekend.push(n);
          else if (hour >= 9 && hour < 17) work.push(n);
          else if (hour < 6) night.push(n);
        }
      const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
      const label = `${account.alias} (UTC${account.utcOffset >= 0 ? '+' : ''}${account.utcOffset})`;
      expect(mean(work), `${label}: working hours over nights`).toBeGreaterThan(1.5 * mean(night));
      expect(mean(work), `${label}: working hours over weekends`).toBeGreaterThan(1.5 * mean(weekend));
    }
  });

  it('has scheduled pollers calling on their clock, around the clock', () => {
    const start = Date.parse(WEEK.start!);
    const end = Date.parse(WEEK.end!);
    let pollers = 0;
    for (const account of run.prepared.world.accounts)
      for (const p of account.principals)
        for (const poll of p.polls) {
          // A one-off planned change (a settings update) is a poll that falls due once.
          if (poll.everyMs > end - start) continue;
          const op = poll.operations[0]!;
          const times = new Set(
            run.records
              .filter(
                (r) =>
                  r.recipientAccountId === account.id &&
                  r.awsRegion === poll.region &&
                  r.eventName === op &&
                  actorOf(r).endsWith(`/${p.name}`),
              )
              .map(timeOf),
          );
          const due = { all: 0, night: 0 };
          const made = { all: 0, night: 0 };
          const first = Math.ceil((start - poll.phaseMs) / poll.everyMs) * poll.everyMs + poll.phaseMs;
          for (let t = first; t < end; t += poll.everyMs) {
            const hour = new Date(t + account.utcOffset * HOUR).getUTCHours();
            const night = hour < 6;
            due.all++;
            if (night) due.night++;
            // A job starts up to 15 s after its minute.
            if (![...Array(16).keys()].some((k) => times.has(t + k * 1000))) continue;
            made.all++;
            if (night) made.night++;
          }
          const label = `${account.alias} ${p.name} every ${poll.everyMs / 60_000} min`;
          expect(due.night, label).toBeGreaterThan(0);
          // The plan counts polls apart from the random calls: every one due is made, at night as
          // in the day (a failed call still calls).
          expect(made.all / due.all, label).toBeGreaterThan(0.95);
          expect(made.night / due.night, label).toBeGreaterThan(0.95);
          pollers++;
        }
    // The reporting Lambda, the dashboard bot and the scheduled CI job of each workload account,
    // and the organization report.
    expect(pollers).toBeGreaterThanOrEqual(7);
  });
});
