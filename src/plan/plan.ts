import { Rng } from '../shared/rng.js';
import type { ScheduledCall } from '../world/lifecycle.js';
import type { World } from '../world/world.js';
import { MAX_CALLS_PER_PART, type Window } from './window.js';
import type { CurveSettings } from '../scenario/curve-settings.js';
import { CastCurve } from './curve.js';
import { pollDueIn, polls } from './polls.js';

/** CloudTrail delivers about every five minutes. */
export const WINDOW_MS = 5 * 60_000;

export interface PlanOptions {
  seed: number;
  start: number;
  end: number;
  /** Calls drawn at random, in addition to the world's planned changes and scheduled polls. */
  events: number;
  regions: readonly string[];
  curve: CurveSettings;
}

interface Pair {
  accountIndex: number;
  region: string;
}

/**
 * The delivery windows of a run, in time order, then account, then Region: how many calls fall in
 * each. Streams: memory is one slot's weights per account and Region, plus a stack as deep as
 * log2 of the number of slots. The total of `count` over all windows is exactly `events`.
 */
export function* planWindows(
  world: World,
  opts: PlanOptions,
  scheduled: readonly ScheduledCall[],
): Generator<Window> {
  const first = Math.floor(opts.start / WINDOW_MS);
  const last = Math.ceil(opts.end / WINDOW_MS);
  const slots = Math.max(0, last - first);
  if (slots === 0) return;
  const pairs: Pair[] = [];
  world.accounts.forEach((_, accountIndex) => {
    for (const region of opts.regions) pairs.push({ accountIndex, region });
  });
  const bounds = (s: number): [number, number] => [
    Math.max(opts.start, (first + s) * WINDOW_MS),
    Math.min(opts.end, (first + s + 1) * WINDOW_MS),
  ];
  const curve = new CastCurve(world, opts.curve);
  const pairWeight = (p: Pair, s: number): number => {
    const a = world.accounts[p.accountIndex]!;
    const [lo, hi] = bounds(s);
    return (
      a.weight * (a.regionWeights[p.region] ?? 0) * curve.rate(a, p.region, lo) * ((hi - lo) / WINDOW_MS)
    );
  };
  // Prefix sums of slot weights, so a range's weight is one subtraction.
  const prefix = new Float64Array(slots + 1);
  for (let s = 0; s < slots; s++) {
    let w = 0;
    for (const p of pairs) w += pairWeight(p, s);
    prefix[s + 1] = prefix[s]! + w;
  }
  const weightOf = (lo: number, hi: number): number => prefix[hi]! - prefix[lo]!;

  const bySlot = new Map<number, ScheduledCall[]>();
  for (const c of scheduled) {
    const s = Math.floor(c.time / WINDOW_MS) - first;
    if (s < 0 || s >= slots) continue;
    let list = bySlot.get(s);
    if (!list) bySlot.set(s, (list = []));
    list.push(c);
  }
  const scheduledSlots = [...bySlot.keys()].sort((a, b) => a - b);
  // With scheduled polls, every slot is visited: a poll is due whatever the random count.
  const anyPolls = world.accounts.some((a) => a.principals.some((p) => polls(world, p)));
  let nextScheduled = 0;

  // Windows without planned calls get an empty list sliced from `scheduled` (docs/hot-path.md,
  // rule 3).
  const none = scheduled.slice(0, 0);
  const root = new Rng(opts.seed).fork('plan');
  function* leaf(s: number, n: number): Generator<Window> {
    const [lo, hi] = bounds(s);
    const calls = bySlot.get(s) ?? none;
    const rng = root.fork(`slot/${first + s}`);
    let remaining = n;
    let restWeight = 0;
    // A Float64Array (docs/hot-path.md, rule 3): a quiet slot's weights are all 0.
    const weights = Float64Array.from(pairs, (p) => pairWeight(p, s));
    for (const w of weights) restWeight += w;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i]!;
      const w = weights[i]!;
      const k =
        i === pairs.length - 1 || restWeight <= 0
          ? remaining
          : rng.binomial(remaining, Math.min(1, w / restWeight));
      restWeight -= w;
      remaining -= k;
      const mine = calls.filter(
        (c) => c.accountId === world.accounts[p.accountIndex]!.id && c.region === p.region,
      );
      if (
        k === 0 &&
        mine.length === 0 &&
        !(anyPolls && pollDueIn(world, world.accounts[p.accountIndex]!, p.region, lo, hi))
      )
        continue;
      // A busy window is rendered and delivered in parts, so no part holds more than a file's worth.
      const parts = Math.max(1, Math.ceil(k / MAX_CALLS_PER_PART));
      for (let part = 0; part < parts; part++) {
        const count = part < parts - 1 ? MAX_CALLS_PER_PART : k - MAX_CALLS_PER_PART * (parts - 1);
        // Every window has every field, so the renderer sees windows of one shape.
        yield {
          accountIndex: p.accountIndex,
          region: p.region,
          start: lo,
          end: hi,
          count,
          scheduled: part === 0 ? mine : none,
          part,
        };
      }
    }
  }

  // Depth-first binomial splitting of the total over slot ranges, in time order.
  const stack: [number, number, number][] = [[0, slots, opts.events]];
  while (stack.length > 0) {
    const [lo, hi, n] = stack.pop()!;
    if (hi - lo === 1) {
      while (nextScheduled < scheduledSlots.length && scheduledSlots[nextScheduled]! < lo) {
        yield* leaf(scheduledSlots[nextScheduled++]!, 0);
      }
      if (nextScheduled < scheduledSlots.length && scheduledSlots[nextScheduled] === lo) nextScheduled++;
      if (n > 0 || bySlot.has(lo) || anyPolls) yield* leaf(lo, n);
      continue;
    }
    if (n === 0 && !anyPolls) continue;
    const mid = (lo + hi) >> 1;
    const total = weightOf(lo, hi);
    const p = total > 0 ? weightOf(lo, mid) / total : (mid - lo) / (hi - lo);
    const left = root.fork(`split/${lo}/${hi}`).binomial(n, p);
    stack.push([mid, hi, n - left], [lo, mid, left]);
  }
  while (nextScheduled < scheduledSlots.length) yield* leaf(scheduledSlots[nextScheduled++]!, 0);
}
