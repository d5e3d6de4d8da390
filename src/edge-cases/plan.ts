import { digestFileKey } from '../layout/keys.js';
import { HOUR_MS, hourOffset, hourStart } from '../digest/digest-stage.js';
import { EDGE_CASE_KINDS, type EdgeCaseKind, type EdgeCaseSet } from '../scenario/edge-cases.js';
import type { Window } from '../plan/window.js';
import { DEFAULTS } from './delivery-cases.js';
import type { Rng } from '../shared/rng.js';
import type { EdgeCaseRun } from './run.js';

/** Kinds placed on digests; every other kind is placed on a log file. */
const DIGEST_KINDS: readonly EdgeCaseKind[] = ['missing-digest', 'bad-signature'];

/** Where a run's edge cases go, decided before the first file. */
export interface EdgeCasePlan {
  /** Per kind: how many (a rate turned into a count of its candidates). */
  requested: Partial<Record<EdgeCaseKind, number>>;
  /**
   * The log files that carry a case, by `placeOf`: their account and Region and their place among
   * its files. A case stays in its account and Region, whose files one shard writes whole.
   */
  byPlace: Map<string, EdgeCaseKind[]>;
  /** The digests that carry a case, by key. */
  digests: Map<string, EdgeCaseKind>;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The place of the log file `n` (from 0) of an account and Region, in the run's file order. */
export function placeOf(accountId: string, region: string, n: number): string {
  return `${accountId}/${region}/${n}`;
}

/**
 * Whether a window's file is a candidate for a case, judged from the window (its file is delivered
 * within five minutes of its end): a late or old delivery must still fall inside the run, and a
 * day-boundary file must be delivered in the hour before a midnight inside the run.
 */
function fits(kind: EdgeCaseKind, w: Window, cases: EdgeCaseSet, latest: number): boolean {
  const records = w.count + w.scheduled.length;
  if (records === 0) return false;
  const delivered = w.end + 5 * MINUTE;
  switch (kind) {
    case 'late-file':
      return delivered + (cases[kind]?.hours ?? DEFAULTS.lateHours) * HOUR_MS <= latest;
    case 'old-events':
      return records >= 2 && delivered + (cases[kind]?.hours ?? DEFAULTS.oldHours) * HOUR_MS <= latest;
    case 'day-boundary': {
      const midnight = Math.floor(w.end / DAY) * DAY + DAY;
      return delivered <= midnight && midnight - w.end <= 55 * MINUTE && midnight + 5 * MINUTE <= latest;
    }
    case 'out-of-order':
      return records >= 2;
    default:
      return true;
  }
}

/**
 * Places the edge cases: two passes over the plan (no rendering) count each kind's candidate log
 * files and find the ones drawn; digests are counted from the run's hours. Rates become counts of
 * candidates. Places are drawn from `rng`, a stream per kind, among the whole run's candidates, and
 * named by account, Region and the window's place among that pair's (each window of the plan is a
 * log file, but for a window beyond a file's worth or a poll that makes no call). A file the
 * injector finds unfit, or that two kinds drew, hands the case on to the next file of its account
 * and Region that fits: a shard, which writes whole pairs, places every case of its files as the
 * whole run does.
 */
export function planEdgeCases(run: EdgeCaseRun, cases: EdgeCaseSet, rng: Rng): EdgeCasePlan {
  const latest = run.scenario.end - MINUTE;
  const kinds = EDGE_CASE_KINDS.map((k) => k.kind).filter((k) => cases[k]);
  const fileKinds = kinds.filter((k) => !DIGEST_KINDS.includes(k));
  const candidates = new Map<EdgeCaseKind, number>(fileKinds.map((k) => [k, 0]));
  for (const w of run.windows())
    for (const k of fileKinds) if (fits(k, w, cases, latest)) candidates.set(k, candidates.get(k)! + 1);
  const digestKeys = digestCandidates(run);
  const requested: Partial<Record<EdgeCaseKind, number>> = {};
  const chosen = new Map<EdgeCaseKind, number[]>();
  const digests = new Map<string, EdgeCaseKind>();
  const taken = new Set<number>();
  for (const kind of kinds) {
    const c = cases[kind]!;
    const onDigest = DIGEST_KINDS.includes(kind);
    const pool = onDigest ? digestKeys.length : candidates.get(kind)!;
    const n = c.count ?? Math.round((c.rate ?? 0) * pool);
    requested[kind] = n;
    if (!onDigest) {
      chosen.set(kind, distinct(rng.fork(kind), pool, n));
      continue;
    }
    // Digest kinds share the pool: each takes places the others have not.
    const free = digestKeys.map((_, i) => i).filter((i) => !taken.has(i));
    for (const i of distinct(rng.fork(kind), free.length, n)) {
      taken.add(free[i]!);
      digests.set(digestKeys[free[i]!]!, kind);
    }
  }
  const byPlace = new Map<string, EdgeCaseKind[]>();
  const seen = new Map<EdgeCaseKind, number>(fileKinds.map((k) => [k, 0]));
  const next = new Map<EdgeCaseKind, number>(fileKinds.map((k) => [k, 0]));
  /** Windows so far per account and Region. */
  const windowsSoFar = new Map<string, number>();
  for (const w of run.windows()) {
    const accountId = run.world.accounts[w.accountIndex]!.id;
    const chain = `${accountId}/${w.region}`;
    const n = windowsSoFar.get(chain) ?? 0;
    windowsSoFar.set(chain, n + 1);
    for (const k of fileKinds) {
      if (!fits(k, w, cases, latest)) continue;
      const list = chosen.get(k)!;
      const at = seen.get(k)!;
      seen.set(k, at + 1);
      if (list[next.get(k)!] === at) {
        next.set(k, next.get(k)! + 1);
        const place = placeOf(accountId, w.region, n);
        byPlace.set(place, [...(byPlace.get(place) ?? []), k]);
      }
    }
  }
  return { requested, byPlace, digests };
}

/**
 * Digests a case may take: neither the first nor the last of its chain, so that a missing or badly
 * signed one sits between two good ones.
 */
function digestCandidates(run: EdgeCaseRun): string[] {
  const { scenario: s, location } = run;
  const keys: string[] = [];
  for (const account of run.world.accounts) {
    for (const region of s.regions) {
      const first = hourStart(s.start, hourOffset(s.seed, s.trail.name, account.id, region));
      for (let end = first + 2 * HOUR_MS; end + HOUR_MS <= s.end; end += HOUR_MS)
        keys.push(digestFileKey(location, account.id, region, s.trail.name, s.trail.homeRegion, end));
    }
  }
  return keys;
}

/** `k` distinct numbers of [0, n), ascending (Floyd's algorithm); fewer when n < k. */
export function distinct(rng: Rng, n: number, k: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - Math.min(k, n); j < n; j++) {
    const t = rng.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
