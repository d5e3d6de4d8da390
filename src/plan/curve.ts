import type { CurveSettings } from '../scenario/curve-settings.js';
import type { Account } from '../world/world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** People's activity by local hour, 0..1: ramp up in the morning, lunch dip, tail in the evening. */
const HOURLY = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.08, 0.25, 0.6, 0.9, 1, 0.95, 0.7, 0.85, 1, 0.95, 0.85, 0.6, 0.35,
  0.22, 0.15, 0.1, 0.06, 0.03,
];

/**
 * The relative call rate of an account at `t`: automation's flat base plus people's working-hours
 * curve in the account's time zone, quiet at weekends, raised for two hours after an alert opens (entities whose kind declares `alerts`).
 */
export function accountRate(account: Account, t: number, c: CurveSettings, region: string): number {
  const local = t + account.utcOffset * HOUR;
  const hour = Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((Math.floor(local / DAY) + 4) % 7) + 7) % 7;
  const hourly = 1 - c.dailyAmplitude + c.dailyAmplitude * (HOURLY[hour] ?? 0);
  const weekly = weekday === 0 || weekday === 6 ? c.weekendFactor : 1;
  let people = hourly * weekly;
  if (c.bursts) {
    const res = account.resources[region];
    if (res) {
      const alerts = res.alerts;
      // Alerts are sorted by time: skip, by bisection, those that opened 2 h or more before t.
      let lo = 0;
      let hi = alerts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (t - alerts[mid]!.time < 2 * HOUR) hi = mid;
        else lo = mid + 1;
      }
      for (let k = lo; k < alerts.length; k++) {
        const a = alerts[k]!;
        if (a.time > t) break;
        if (t - a.time >= 2 * HOUR) continue;
        // One that pages wakes the on-call engineer at any hour; the others are looked at when
        // people are at work.
        people += a.pages ? 3 : 1.5 * hourly * weekly;
      }
    }
  }
  return c.automationShare + (1 - c.automationShare) * people;
}
