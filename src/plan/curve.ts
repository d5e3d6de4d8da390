import type { CurveSettings } from '../scenario/curve-settings.js';
import { localTime, type WorkHours } from '../world/hours.js';
import type { Principal } from '../world/principal.js';
import type { Account, World } from '../world/world.js';

const HOUR = 3_600_000;
/** Presence is constant over a half hour: working days start and end on (half) hours in every zone. */
const STEP = HOUR / 2;

/** What an account's principals weigh in the draw, ignoring the hour, and what they weigh now. */
interface AccountCurve {
  principals: readonly Principal[];
  /** Identity mix share × the principal's weight within its type. */
  base: Float64Array;
  automation: number;
  people: number;
  /** Per Region: the half hour the weights were computed for, and the weights. */
  byRegion: Map<string, { step: number; weights: Float64Array; total: number }>;
}

/**
 * A person's presence at their desk at local `hour` of a working day, 0..1: ramping up in the first
 * hour, a lunch dip around noon, tailing off in the last hour. `amplitude` scales the dips.
 */
function dayShape(h: WorkHours, hour: number, amplitude: number): number {
  const shape = hour < h.from + 1 ? 0.6 : hour >= 12 && hour < 13 ? 0.65 : hour >= h.to - 1 ? 0.7 : 1;
  return 1 - amplitude * (1 - shape);
}

/**
 * Who is at work, and so who calls, by the hour: each principal's weight at a time, and an account's
 * rate as their sum. People call inside their working hours (a trickle after hours, a weekend
 * fraction on days off); an on-call team is paged by a high-severity insight at any hour and a
 * medium one draws people in during the day; automation calls around the clock. The plan sizes
 * windows by `rate` and behaviour picks the caller by `weights`, so the volume follows from who
 * is at work, and the two cannot disagree.
 *
 * @example new CastCurve(world, DEFAULT_CURVE).rate(world.accounts[0]!, 'us-east-1', Date.UTC(2026, 10, 2, 15))
 */
export class CastCurve {
  private readonly accounts = new Map<Account, AccountCurve>();

  constructor(
    private readonly world: World,
    private readonly curve: CurveSettings,
  ) {}

  private of(account: Account): AccountCurve {
    let c = this.accounts.get(account);
    if (!c) {
      const mix = this.world.identityMix;
      const byType = new Map<string, number>();
      for (const p of account.principals) byType.set(p.type, (byType.get(p.type) ?? 0) + p.weight);
      const principals = account.principals;
      const base = Float64Array.from(principals, (p) => {
        const typeWeight = byType.get(p.type) ?? 0;
        return typeWeight > 0 ? ((mix[p.type] ?? 0) * p.weight) / typeWeight : 0;
      });
      let automation = 0;
      let people = 0;
      principals.forEach((p, i) => {
        // A job that calls only on its schedule is planned apart (plan/polls.ts).
        if (p.scheduleOnly) base[i] = 0;
        if (p.actor === 'human') people += base[i]!;
        else automation += base[i]!;
      });
      c = { principals, base, automation, people, byRegion: new Map() };
      this.accounts.set(account, c);
    }
    return c;
  }

  /** Fresh alerts of a Region at `t` (opened less than 2 h before): those looked at by day, and those that page. */
  private fresh(account: Account, region: string, t: number): [number, number] {
    if (!this.curve.bursts) return [0, 0];
    const alerts = account.resources[region]?.alerts ?? [];
    // Alerts are sorted by time: skip, by bisection, those that opened 2 h or more before t.
    let lo = 0;
    let hi = alerts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t - alerts[mid]!.time < 2 * HOUR) hi = mid;
      else lo = mid + 1;
    }
    let work = 0;
    let pages = 0;
    for (let k = lo; k < alerts.length; k++) {
      const a = alerts[k]!;
      if (a.time > t) break;
      if (a.pages) pages++;
      else work++;
    }
    return [work, pages];
  }

  /** How present a person (or a team working the same hours, or a job they start) is at `t`. */
  private presence(p: Principal, t: number, medium: number, high: number): number {
    const h = p.hours!;
    const { hour, weekday } = localTime(t, h.utcOffset);
    const c = this.curve;
    const inHours = hour >= h.from && hour < h.to;
    const day = h.days[weekday] ? 1 : c.weekendFactor;
    const at = inHours
      ? dayShape(h, hour, c.dailyAmplitude) * (1 + 1.5 * medium)
      : 0.05 * (1 - c.dailyAmplitude);
    return at * day + (p.onCall ? 3 * high : 0);
  }

  /**
   * Each principal's share of the account's calls in a Region at `t` (in `account.principals`
   * order), and their sum. The array is reused until the half hour changes: read it at once.
   */
  weights(account: Account, region: string, t: number): { weights: Float64Array; total: number } {
    const c = this.of(account);
    const step = Math.floor(t / STEP);
    let entry = c.byRegion.get(region);
    if (!entry)
      c.byRegion.set(region, (entry = { step: NaN, weights: new Float64Array(c.base.length), total: 0 }));
    if (entry.step === step) return entry;
    const at = step * STEP;
    const [medium, high] = this.fresh(account, region, at);
    const share = this.curve.automationShare;
    const auto = c.automation > 0 ? share / c.automation : 0;
    const people = c.people > 0 ? (1 - share) / c.people : 0;
    let total = 0;
    for (let i = 0; i < c.base.length; i++) {
      const p = c.principals[i]!;
      const scale = p.actor === 'human' ? people : auto;
      const w = c.base[i]! * scale * (p.hours ? this.presence(p, at, medium, high) : 1);
      entry.weights[i] = w;
      total += w;
    }
    entry.step = step;
    entry.total = total;
    return entry;
  }

  /** The relative call rate of an account in a Region at `t`: 1 is a busy weekday hour. */
  rate(account: Account, region: string, t: number): number {
    return this.weights(account, region, t).total;
  }
}
