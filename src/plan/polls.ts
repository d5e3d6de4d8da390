import type { Poll, Principal } from '../world/principal.js';
import type { Account, World } from '../world/world.js';

/**
 * Scheduled jobs call on their clock whatever the volume: the plan counts their calls first, takes
 * them from the run's total and gives every window in which one is due, so that a job's sweeps keep
 * their period and the run's total stays exact.
 */

/** Whether a principal's polls run: a type the identity mix leaves out makes no calls at all. */
export function polls(world: World, p: Principal): boolean {
  return (world.identityMix[p.type] ?? 0) > 0 && p.polls.length > 0;
}

/** The first time at or after `t` that a poll is due. */
export function firstDue(poll: Poll, t: number): number {
  return Math.ceil((t - poll.phaseMs) / poll.everyMs) * poll.everyMs + poll.phaseMs;
}

/** Whether any poll of an account is due in a Region in [lo, hi). */
export function pollDueIn(world: World, account: Account, region: string, lo: number, hi: number): boolean {
  for (const p of account.principals) {
    if (!polls(world, p)) continue;
    for (const poll of p.polls) if (poll.region === region && firstDue(poll, lo) < hi) return true;
  }
  return false;
}

/**
 * The calls the world's scheduled polls make in [start, end): each poll's due times there, times
 * the operations of a poll that `known` accepts (those with a template); with `includes`, only in
 * those accounts and Regions.
 */
export function countPollCalls(
  world: World,
  start: number,
  end: number,
  known: (operation: string) => boolean,
  includes: (accountId: string, region: string) => boolean = () => true,
): number {
  let calls = 0;
  for (const account of world.accounts)
    for (const p of account.principals) {
      if (!polls(world, p)) continue;
      for (const poll of p.polls) {
        if (!includes(account.id, poll.region)) continue;
        const ops = poll.operations.filter(known).length;
        const first = firstDue(poll, start);
        if (first < end) calls += ops * (Math.floor((end - 1 - first) / poll.everyMs) + 1);
      }
    }
  return calls;
}
