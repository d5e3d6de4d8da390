import { describe, expect, it } from 'vitest';
import { generatedWeek, principalOf, type WeekRecord } from '../helpers/week.js';

// Scheduled jobs read as an analyst reads them: the calls of one job, cut into sweeps.
describe('bots keep schedules', () => {
  const week = generatedWeek();

  it('a scheduled job sweeps the same operations in the same order over the same Regions, at its period give or take a few seconds', () => {
    const byJob = new Map<string, WeekRecord[]>();
    for (const r of week.records) {
      const p = principalOf(week, r);
      if (!p?.scheduleOnly) continue;
      const list = byJob.get(p.key) ?? [];
      list.push(r);
      byJob.set(p.key, list);
    }
    expect(byJob.size).toBeGreaterThan(0);
    for (const [job, calls] of byJob) {
      // A sweep: calls less than a minute apart.
      const sweeps: WeekRecord[][] = [];
      for (const r of calls) {
        const last = sweeps[sweeps.length - 1];
        if (last && r.time - last[last.length - 1]!.time < 60_000) last.push(r);
        else sweeps.push([r]);
      }
      expect(sweeps.length, job).toBeGreaterThan(20);
      const shape = (s: WeekRecord[]): string => s.map((r) => `${r.awsRegion}/${r.eventName}`).join(',');
      const shapes = new Set(sweeps.map(shape));
      expect([...shapes], job).toHaveLength(1);
      const gaps = sweeps.slice(1).map((s, i) => s[0]!.time - sweeps[i]![0]!.time);
      // The job's period as the world set it; an analyst would take the median gap.
      const period = principalOf(week, calls[0]!)!.polls[0]!.everyMs;
      const median = [...gaps].sort((a, b) => a - b)[gaps.length >> 1]!;
      expect(Math.abs(median - period), job).toBeLessThanOrEqual(15_000);
      for (const g of gaps) expect(Math.abs(g - period), job).toBeLessThanOrEqual(15_000);
    }
  });
});
