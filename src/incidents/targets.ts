import type { Step } from '../generated/playbook.js';
import type { Rng } from '../shared/rng.js';
import type { Lifecycle, ScheduledCall } from '../world/lifecycle.js';
import type { Instance } from '../world/refs.js';
import type { Account, World } from '../world/world.js';

/** The world changes incidents planned so far: no two remove the same thing. */
export interface Taken {
  changes: ScheduledCall[];
}

/** The identity of what a change acts on, to compare changes. */
function targetOf(c: Lifecycle): string {
  return `${c.entity}/${c.instance.key}`;
}

/** The instances of an entity kind in an account's Region (none when the service lacks the kind). */
export function instancesOf(
  world: World,
  account: Account,
  region: string,
  entity: string,
): readonly Instance[] {
  const kind = world.entities.byName.get(entity);
  return kind ? (account.resources[region]?.instances[kind.index] ?? []) : [];
}

/**
 * What a step's change acts on at `t` in an account's Region, drawn among what exists then and
 * that neither the world's own planned changes nor an earlier incident touch (so the background's
 * history stays as it was, and the thing is gone from then on for everyone); null when nothing is
 * left.
 */
export function pickTarget(
  kind: NonNullable<Step['change']>,
  world: World,
  account: Account,
  region: string,
  t: number,
  lifecycles: readonly ScheduledCall[],
  taken: Taken,
  rng: Rng,
): Lifecycle | null {
  const [entity = '', event = ''] = kind.split('.');
  if (!account.resources[region]) return null;
  const here = (c: ScheduledCall): boolean => c.accountId === account.id && c.region === region;
  const busy = new Set([...lifecycles, ...taken.changes].filter(here).map((c) => `${targetOf(c.change)}`));
  // What the world adds is busy (its own history); only what existed before the period, or opened
  // during it on its own, is free.
  const options: Lifecycle[] = instancesOf(world, account, region, entity)
    .filter((i) => i.opensAt < t && !busy.has(`${entity}/${i.key}`))
    .map((instance) => ({ entity, event, instance, undo: false }));
  return options.length > 0 ? rng.pick(options) : null;
}
