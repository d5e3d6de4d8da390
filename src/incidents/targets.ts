import type { Step } from '../generated/playbook.js';
import type { Rng } from '../shared/rng.js';
import type { Lifecycle, ScheduledCall } from '../world/lifecycle.js';
import type { Account } from '../world/world.js';

/** The world changes incidents planned so far: no two remove the same thing. */
export interface Taken {
  changes: ScheduledCall[];
}

/** The identity of what a change acts on, to compare changes. */
function targetOf(c: Lifecycle): string {
  return c.entity === 'channel'
    ? `channel/${c.channel.id}`
    : c.entity === 'insight'
      ? `insight/${c.insight.id}`
      : `stack/${c.stackName}`;
}

/**
 * What a step's change acts on at `t` in an account's Region, drawn among what exists then and
 * that neither the world's own planned changes nor an earlier incident touch (so the background's
 * history stays as it was, and the thing is gone from then on for everyone); null when nothing is
 * left.
 */
export function pickTarget(
  kind: NonNullable<Step['change']>,
  account: Account,
  region: string,
  t: number,
  lifecycles: readonly ScheduledCall[],
  taken: Taken,
  rng: Rng,
): Lifecycle | null {
  const res = account.resources[region];
  if (!res) return null;
  const here = (c: ScheduledCall): boolean => c.accountId === account.id && c.region === region;
  const busy = new Set([...lifecycles, ...taken.changes].filter(here).map((c) => `${targetOf(c.change)}`));
  const created = lifecycles.filter((c) => here(c) && c.change.event === 'create' && c.time < t);
  let options: Lifecycle[];
  if (kind === 'remove-channel') {
    const createdChannels = created.flatMap((c) => (c.change.entity === 'channel' ? [c.change.channel] : []));
    // A channel the world adds is busy (its own history); only what existed before the period is free.
    options = [...res.channels, ...createdChannels]
      .filter((ch) => !busy.has(`channel/${ch.id}`))
      .map((channel) => ({ entity: 'channel', event: 'delete', channel, insight: null, stackName: null }));
  } else if (kind === 'delete-insight') {
    options = res.insights
      .filter((x) => x.startTime < t && !busy.has(`insight/${x.id}`))
      .map((insight) => ({ entity: 'insight', event: 'delete', channel: null, insight, stackName: null }));
  } else {
    options = res.stacks
      .filter((name) => !busy.has(`stack/${name}`))
      .map((stackName) => ({ entity: 'stack', event: 'delete', channel: null, insight: null, stackName }));
  }
  return options.length > 0 ? rng.pick(options) : null;
}
