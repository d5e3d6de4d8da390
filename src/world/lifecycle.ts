import type { Rng } from '../shared/rng.js';
import type { ChannelRef, InsightRef } from './refs.js';
import type { Account, World } from './world.js';

/**
 * Changes to the world that a call makes, planned with the world so that every window sees the
 * same history: a channel is removed only after the call that added it, an insight is deleted
 * once and never named again, a cost estimation is started before anyone reads it.
 *
 * Every change has every field, null where it does not apply, so that all changes share one
 * object shape (docs/hot-path.md, rule 3).
 */
export type Lifecycle =
  | { entity: 'channel'; event: 'create' | 'delete'; channel: ChannelRef; insight: null; stackName: null }
  | { entity: 'insight'; event: 'delete'; channel: null; insight: InsightRef; stackName: null }
  | { entity: 'stack'; event: 'create' | 'delete'; channel: null; insight: null; stackName: string }
  | { entity: 'costEstimation'; event: 'create'; channel: null; insight: null; stackName: string };

export interface ScheduledCall {
  time: number;
  accountId: string;
  region: string;
  /** Index into the account's principals of the caller. */
  principal: number;
  change: Lifecycle;
}

const HOUR = 3_600_000;

/** A time in the account's working hours on a day inside [from, to). */
function workingTime(rng: Rng, account: Account, from: number, to: number): number {
  for (let i = 0; i < 20; i++) {
    const t = from + rng.next() * (to - from);
    const local = new Date(t + account.utcOffset * HOUR);
    const h = local.getUTCHours();
    const wd = local.getUTCDay();
    if (h >= 9 && h < 18 && wd !== 0 && wd !== 6) return Math.floor(t / 1000) * 1000;
  }
  return Math.floor((from + rng.next() * (to - from)) / 1000) * 1000;
}

/**
 * Picks a caller for a configuration change: one of the principals that configure DevOps Guru
 * (Terraform, the CI deploy role, CloudFormation, the administrators). Deleting an insight is a
 * person's decision, made by an administrator when there is one. Only principals of a type the
 * identity mix gives calls to are candidates; undefined when the account has none (no change).
 */
function changeCaller(
  rng: Rng,
  account: Account,
  mix: World['identityMix'],
  people = false,
): number | undefined {
  const all = account.principals.map((p, i) => ({ p, i })).filter(({ p }) => (mix[p.type] ?? 0) > 0);
  const configure = all.filter(({ p }) => p.configures && (!people || p.actor === 'human'));
  const roles = all.filter(({ p }) => p.type === 'AssumedRole');
  const ok = configure.length > 0 ? configure : roles.length > 0 ? roles : all;
  return ok.length > 0 ? rng.pick(ok).i : undefined;
}

/**
 * Plans the world's changes in [start, end). At most `budget` calls, so that an exact event total
 * can hold them; the earliest of each kind are kept first.
 */
export function planLifecycles(
  world: World,
  rng: Rng,
  start: number,
  end: number,
  budget: number,
): ScheduledCall[] {
  const calls: ScheduledCall[] = [];
  const span = end - start;
  if (span <= 0 || budget <= 0) return calls;
  for (const account of world.accounts) {
    for (const [region, res] of Object.entries(account.resources)) {
      if (account.regionWeights[region]! < 0.1) continue;
      const r = rng.fork(`lifecycle/${account.id}/${region}`);
      const caller = (): number | undefined => changeCaller(r, account, world.identityMix);
      /**
       * Plans a change and, with probability `p`, its undoing later in the period, by the same
       * principal: a tool removes only what it created.
       */
      const scheduleWithUndo = (
        time: number,
        p: number,
        make: (event: 'create' | 'delete') => Lifecycle,
      ): void => {
        const principal = caller();
        if (principal === undefined) return;
        calls.push({ time, accountId: account.id, region, principal, change: make('create') });
        if (r.chance(p)) {
          const undone = workingTime(r, account, time + 60_000, end);
          if (undone > time)
            calls.push({ time: undone, accountId: account.id, region, principal, change: make('delete') });
        }
      };
      // A new notification channel, sometimes replacing an old one later.
      if (r.chance(0.8)) {
        const channel = {
          id: r.uuid(),
          topicArn: `arn:aws:sns:${region}:${account.id}:${r.pick(['devops-guru-alerts', 'guru-insights', 'platform-oncall'])}`,
        };
        scheduleWithUndo(workingTime(r, account, start, start + span * 0.6), 0.6, (event) => ({
          entity: 'channel',
          event,
          channel,
          insight: null,
          stackName: null,
        }));
      }
      // Stacks added to and removed from the resource collection.
      if (res.stacks.length > 0 && r.chance(0.7)) {
        const stackName = `${r.pick(['orders', 'billing', 'edge', 'ingest', 'auth'])}-${r.pick(['svc', 'api', 'worker'])}-${account.env}`;
        scheduleWithUndo(workingTime(r, account, start, start + span * 0.5), 0.3, (event) => ({
          entity: 'stack',
          event,
          channel: null,
          insight: null,
          stackName,
        }));
      }
      // A cost estimation started early in the period, by a person (no IaC tool manages one).
      if (res.stacks.length > 0 && r.chance(0.5)) {
        const time = workingTime(r, account, start, start + span * 0.3);
        const principal = changeCaller(r, account, world.identityMix, true);
        const stackName = r.pick(res.stacks);
        if (principal !== undefined)
          calls.push({
            time,
            accountId: account.id,
            region,
            principal,
            change: { entity: 'costEstimation', event: 'create', channel: null, insight: null, stackName },
          });
      }
      // A closed insight deleted by an operator.
      const closedBefore = res.insights.filter((i) => i.endTime !== null && i.endTime < end - HOUR);
      if (closedBefore.length > 0 && r.chance(0.35)) {
        const insight = r.pick(closedBefore);
        const t = workingTime(r, account, Math.max(start, insight.endTime! + 60_000), end);
        const principal =
          t > insight.endTime! ? changeCaller(r, account, world.identityMix, true) : undefined;
        if (principal !== undefined)
          calls.push({
            time: t,
            accountId: account.id,
            region,
            principal,
            change: { entity: 'insight', event: 'delete', channel: null, insight, stackName: null },
          });
      }
    }
  }
  calls.sort(
    (a, b) =>
      a.time - b.time ||
      (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.region < b.region ? -1 : 1),
  );
  // Keep within budget without orphaning a delete whose create was dropped.
  const kept: ScheduledCall[] = [];
  const created = new Set<string>();
  for (const c of calls) {
    if (kept.length >= budget) break;
    const id =
      c.change.entity === 'channel'
        ? c.change.channel.id
        : c.change.entity === 'stack'
          ? `${c.accountId}/${c.region}/${c.change.stackName}`
          : '';
    if (c.change.event === 'delete' && c.change.entity !== 'insight' && !created.has(id)) continue;
    if (c.change.event === 'create') created.add(id);
    kept.push(c);
  }
  return kept;
}
