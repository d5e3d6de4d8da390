import type { Rng } from '../shared/rng.js';
import { makeInstance, type ChangeSpec } from './entity-registry.js';
import type { Instance } from './refs.js';
import type { Account, World } from './world.js';

/**
 * Changes to the world that a call makes, planned with the world so that every window sees the
 * same history: an entity is deleted only after the call that created it, and never named again;
 * one is created before anyone reads it. What changes, and how often, is the service's data
 * (`changes` in its service.json).
 *
 * Every change has every field, so that all changes share one object shape (docs/hot-path.md,
 * rule 3).
 */
export interface Lifecycle {
  /** The entity kind, as the service description names it. */
  readonly entity: string;
  /** The event, as templates name it in `lifecycle` (`<entity>.<event>`). */
  readonly event: string;
  readonly instance: Instance;
  /** Whether it undoes a planned create (and so is dropped with it). */
  readonly undo: boolean;
}

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
 * Picks a caller for a change: one of the principals that configure the service (Terraform, the
 * CI deploy role, CloudFormation, the administrators), or with `people` a person among them. Only
 * principals of a type the identity mix gives calls to are candidates; undefined when the account
 * has none (no change).
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

/** Plans one change spec in one account and Region. */
function planChange(
  spec: ChangeSpec,
  world: World,
  account: Account,
  region: string,
  r: Rng,
  start: number,
  end: number,
  calls: ScheduledCall[],
): void {
  const res = account.resources[region]!;
  if (spec.needs && res.instances[spec.needs.index]!.length === 0) return;
  const kind = spec.kind;
  const push = (time: number, principal: number | undefined, change: Lifecycle): void => {
    if (principal !== undefined) calls.push({ time, accountId: account.id, region, principal, change });
  };
  if (spec.of === 'closed') {
    const closed = res.instances[kind.index]!.filter((i) => i.closesAt < end - HOUR);
    if (closed.length === 0 || !r.chance(spec.p)) return;
    const instance = r.pick(closed);
    const t = workingTime(r, account, Math.max(start, instance.closesAt + 60_000), end);
    const principal =
      t > instance.closesAt ? changeCaller(r, account, world.identityMix, spec.byPerson) : undefined;
    push(t, principal, { entity: kind.name, event: spec.event, instance, undo: false });
    return;
  }
  if (!r.chance(spec.p)) return;
  // The order of draws is part of the output: a create that may be undone draws its instance
  // first, one that stays draws it once its time and caller are known.
  const draw = (): Instance =>
    makeInstance(
      kind,
      spec.fields!({ rng: r, region, accountId: account.id, env: account.env, time: start, keys: res.keys }),
    );
  const early = spec.undo ? draw() : null;
  const time = workingTime(r, account, start, start + (end - start) * spec.within);
  const principal = changeCaller(r, account, world.identityMix, spec.byPerson);
  const instance = early ?? draw();
  push(time, principal, { entity: kind.name, event: spec.event, instance, undo: false });
  if (spec.undo && r.chance(spec.undo.p)) {
    const undone = workingTime(r, account, time + 60_000, end);
    if (undone > time)
      // By the same principal: a tool removes only what it created.
      push(undone, principal, {
        entity: kind.name,
        event: spec.undo.event,
        instance,
        undo: true,
      });
  }
}

/**
 * Plans the world's changes in [start, end), each of the service's `changes` in turn for every
 * account and Region where the account is more than a visitor. At most `budget` calls, so that an
 * exact event total can hold them; the earliest are kept first.
 */
export function planLifecycles(
  world: World,
  rng: Rng,
  start: number,
  end: number,
  budget: number,
): ScheduledCall[] {
  const calls: ScheduledCall[] = [];
  if (end - start <= 0 || budget <= 0) return calls;
  for (const account of world.accounts) {
    for (const region of Object.keys(account.resources)) {
      if (account.regionWeights[region]! < 0.1) continue;
      const r = rng.fork(`lifecycle/${account.id}/${region}`);
      for (const spec of world.entities.changes)
        planChange(spec, world, account, region, r, start, end, calls);
    }
  }
  calls.sort(
    (a, b) =>
      a.time - b.time ||
      (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : a.region < b.region ? -1 : 1),
  );
  // Keep within budget without orphaning an undo whose create was dropped.
  const kept: ScheduledCall[] = [];
  const created = new Set<string>();
  for (const c of calls) {
    if (kept.length >= budget) break;
    const id = `${c.accountId}/${c.region}/${c.change.entity}/${c.change.instance.key}`;
    if (c.change.undo && !created.has(id)) continue;
    if (c.change.event === 'create') created.add(id);
    kept.push(c);
  }
  return kept;
}
