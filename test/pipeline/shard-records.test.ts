import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { buildRun } from '../../src/pipeline/build-run.js';
import type { Sink } from '../../src/sinks/sink.js';

/** A sink that keeps nothing: only the run's own counts matter here. */
const nowhere = (): Sink => ({ put: async () => {}, close: async () => {}, abort: async () => {} });

const scenario = resolveScenario({
  seed: 31,
  events: 3000,
  accounts: 3,
  organizationTrail: true,
  regions: 'us-east-1,eu-west-1,ap-south-1',
  start: '2026-11-02T00:00:00Z',
  end: '2026-11-04T00:00:00Z',
  incidents: 'default',
});

describe('the records a run says it writes (what progress counts toward)', () => {
  it('are the events and incident calls for a whole run, and each shard its exact share', async () => {
    const whole = buildRun(scenario, { sink: nowhere(), workers: 0 });
    const summary = await whole.generate();
    expect(whole.records()).toBe(summary.records);
    expect(summary.records).toBeGreaterThan(scenario.events);
    let sum = 0;
    for (let index = 0; index < 3; index++) {
      const shard = { index, count: 3 };
      const run = buildRun(scenario, { sink: nowhere(), workers: 0, shard });
      const s = await run.generate();
      expect(run.records(), `shard ${index}`).toBe(s.records);
      expect(s.records).toBeLessThan(summary.records);
      sum += s.records;
    }
    expect(sum).toBe(summary.records);
  });
});
