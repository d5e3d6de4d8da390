import type { Rng } from '../shared/rng.js';
import type { Gen } from './node.js';

/** Lists in templates: `$list` (plain or unique) and `$sample`. */

export function list(item: Gen, min: number, max: number): Gen {
  return (s) => {
    const n = min === max ? min : s.rng.int(min, max);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(s);
    return out;
  };
}

export function uniqueList(item: Gen, min: number, max: number): Gen {
  return (s) => {
    const n = min === max ? min : s.rng.int(min, max);
    const out: unknown[] = [];
    const seen = new Set<unknown>();
    // Bounded retries: a small value space yields a shorter list rather than a hang.
    for (let tries = 0; out.length < n && tries < n * 10 + 10; tries++) {
      const v = item(s);
      const key = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
    return out;
  };
}

/**
 * A random subset of `items` of size min..max (capped at the list's length), in the list's order
 * (selection sampling, Knuth's algorithm S).
 */
export function sample<T>(rng: Rng, items: readonly T[], min: number, max: number): T[] {
  const n = items.length;
  const lo = Math.min(min, n);
  const hi = Math.min(max, n);
  let k = lo === hi ? lo : rng.int(lo, hi);
  // Taking every item draws nothing. It goes through the same loop rather than a shortcut of its
  // own (docs/hot-path.md, rule 4).
  const all = k === n;
  const out: T[] = [];
  for (let i = 0; i < n && k > 0; i++) {
    if (all || rng.next() * (n - i) < k) {
      out.push(items[i] as T);
      k--;
    }
  }
  return out;
}
