import { describe, expect, it } from 'vitest';
import { isWorkingTime, localTime } from '../../src/world/hours.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import type { Principal } from '../../src/world/principal.js';
import { generatedWeek, principalOf, type WeekRecord } from '../helpers/week.js';

// A week read as an analyst reads it: who calls at which local hour and on which day.
describe('people keep hours', () => {
  const week = generatedWeek();
  const people = week.records
    .map((r) => ({ r, p: principalOf(week, r) }))
    .filter(
      (x): x is { r: WeekRecord; p: NonNullable<ReturnType<typeof principalOf>> } => x.p?.actor === 'human',
    );

  it('each person makes most calls inside their own working days and hours, or when paged', () => {
    const HOUR = 3_600_000;
    // An on-call team answers a HIGH insight of its account and Region at any hour.
    const paged = (r: WeekRecord, p: Principal): boolean =>
      p.onCall &&
      week.prepared.world.accounts
        .find((a) => a.id === r.recipientAccountId)!
        .resources[r.awsRegion]!.alerts.some(
          (a) => a.pages && a.time <= r.time && r.time - a.time < 2.5 * HOUR,
        );
    const byPerson = new Map<string, { inside: number; all: number }>();
    for (const { r, p } of people) {
      const c = byPerson.get(p.key) ?? { inside: 0, all: 0 };
      c.all++;
      if (isWorkingTime(p.hours!, r.time) || paged(r, p)) c.inside++;
      byPerson.set(p.key, c);
    }
    const busy = [...byPerson.entries()].filter(([, c]) => c.all >= 30);
    expect(busy.length).toBeGreaterThan(5);
    for (const [who, c] of busy) expect(c.inside / c.all, who).toBeGreaterThan(0.8);
  });

  it('nights are quiet for people: 02-04 local is a small fraction of the peak hour', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const { r, p } of people) byHour[Math.floor(localTime(r.time, p.hours!.utcOffset).hour)]!++;
    const peak = Math.max(...byHour);
    expect((byHour[2]! + byHour[3]!) / 2 / peak).toBeLessThan(0.08);
  });

  it('weekends are quiet for people, while scheduled jobs call as often on Sunday as on Tuesday', () => {
    let weekend = 0;
    let weekday = 0;
    for (const { r, p } of people) {
      const d = localTime(r.time, p.hours!.utcOffset).weekday;
      if (d === 0 || d === 6) weekend++;
      else weekday++;
    }
    expect(weekend / 2 / (weekday / 5)).toBeLessThan(0.25);

    // Automation by UTC day: Tuesday 2026-11-03 and Sunday 2026-11-08.
    const polled = new Set(
      week.prepared.world.accounts.flatMap((a) => a.principals.filter((p) => p.polls.length > 0)),
    );
    const day = (iso: string): number =>
      week.records.filter((r) => r.eventTime.startsWith(iso) && polled.has(principalOf(week, r)!)).length;
    const tuesday = day('2026-11-03');
    const sunday = day('2026-11-08');
    expect(tuesday).toBeGreaterThan(100);
    expect(Math.abs(sunday - tuesday) / tuesday).toBeLessThan(0.1);
  });

  it('the default run starts on a working day', () => {
    const day = new Date(resolveScenario({}).start).getUTCDay();
    expect(day === 0 || day === 6).toBe(false);
  });
});
