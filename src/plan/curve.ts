import type { Account } from '../world/world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How activity rises and falls over a day and a week. */
export interface CurveSettings {
  /** 0 = flat day, 1 = nights almost silent for people. */
  dailyAmplitude: number;
  /** Weekend activity of people relative to a weekday, 0..1. */
  weekendFactor: number;
  /** Share of calls from automation, which runs around the clock. */
  automationShare: number;
  /** Activity spikes after insights open, when people investigate. */
  bursts: boolean;
}

export const DEFAULT_CURVE: CurveSettings = {
  dailyAmplitude: 0.9,
  weekendFactor: 0.12,
  automationShare: 0.3,
  bursts: true,
};

/** People's activity by local hour, 0..1: ramp up in the morning, lunch dip, tail in the evening. */
const HOURLY = [
  0.02, 0.01, 0.01, 0.01, 0.01, 0.03, 0.08, 0.25, 0.6, 0.9, 1, 0.95, 0.7, 0.85, 1, 0.95, 0.85, 0.6, 0.35,
  0.22, 0.15, 0.1, 0.06, 0.03,
];

/**
 * The relative call rate of an account at `t`: automation's flat base plus people's working-hours
 * curve in the account's time zone, quiet at weekends, raised while fresh insights are open.
 */
export function accountRate(account: Account, t: number, c: CurveSettings, region: string): number {
  const local = t + account.utcOffset * HOUR;
  const hour = Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
  const weekday = new Date(local).getUTCDay();
  const hourly = 1 - c.dailyAmplitude + c.dailyAmplitude * (HOURLY[hour] ?? 0);
  const weekly = weekday === 0 || weekday === 6 ? c.weekendFactor : 1;
  let people = hourly * weekly;
  if (c.bursts) {
    const res = account.resources[region];
    if (res) {
      for (const i of res.insights) {
        if (i.startTime > t) break;
        if (t - i.startTime >= 2 * HOUR || i.severity === 'LOW') continue;
        // A HIGH insight pages the on-call engineer at any hour; a MEDIUM one is looked at when
        // people are at work.
        people += i.severity === 'HIGH' ? 3 : 1.5 * hourly * weekly;
      }
    }
  }
  return c.automationShare + (1 - c.automationShare) * people;
}
