import { describe, expect, it } from 'vitest';
import { prepare, windowsOf } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';

const p = prepare(
  resolveScenario({
    seed: 11,
    events: 15000,
    accounts: 2,
    regions: ['us-east-1', 'eu-west-1'],
    start: '2026-11-03T00:00:00Z',
    end: '2026-11-04T00:00:00Z',
    errorRate: 0.1,
  }),
);
const windows = [...windowsOf(p)];
const decided = windows.map((w) => ({ w, calls: p.renderer.decideCalls(w) }));

describe('behaviour: call descriptions, read without bytes', () => {
  it('are exactly the calls the record writer writes, in order', () => {
    for (const { w, calls } of decided.slice(0, 60)) {
      const records = p.renderer.renderWindow(w).map((e) => JSON.parse(e.json) as Record<string, unknown>);
      expect(records.map((r) => [r.eventName, r.eventTime, r.errorCode ?? null])).toEqual(
        calls.map((c) => [
          c.template.eventName,
          new Date(c.time).toISOString().replace('.000Z', 'Z'),
          c.errorCode ?? null,
        ]),
      );
    }
  });

  it("make each window's count, by the account's own principals, inside the window", () => {
    let total = 0;
    for (const { w, calls } of decided) {
      const account = p.world.accounts[w.accountIndex]!;
      total += calls.length;
      for (const c of calls) {
        expect(c.account).toBe(account);
        expect(c.region).toBe(w.region);
        expect(account.principals).toContain(c.principal);
        // CloudTrail now and then delivers a call up to 12 minutes late.
        expect(c.time).toBeGreaterThanOrEqual(w.start - 12 * 60_000);
        expect(c.time).toBeLessThan(w.end);
        expect(c.time % 1000).toBe(0);
      }
    }
    expect(total).toBe(p.scenario.events);
  });

  it('fail only with errors their operation returns; planned changes never fail', () => {
    let failed = 0;
    for (const { calls } of decided)
      for (const c of calls) {
        if (c.change) expect(c.errorCode).toBeUndefined();
        if (c.errorCode === undefined) continue;
        failed++;
        expect(c.template.errors.map((e) => e.code)).toContain(c.errorCode);
      }
    expect(failed).toBeGreaterThan(0);
  });

  it('deny every write a read-only permission set tries', () => {
    let writes = 0;
    for (const { calls } of decided)
      for (const c of calls)
        if (
          /ReadOnly|ViewOnly/.test(c.principal.name) &&
          !c.template.readOnly &&
          !c.change &&
          c.template.errors.some((e) => e.code === 'AccessDeniedException') &&
          c.errorCode !== 'ThrottlingException'
        ) {
          writes++;
          expect(c.errorCode).toBe('AccessDeniedException');
        }
    expect(writes).toBeGreaterThan(0);
  });

  it('throttle in runs of consecutive calls by one principal, not call by call', () => {
    let throttled = 0;
    let inRuns = 0;
    for (const { calls } of decided)
      calls.forEach((c, i) => {
        if (c.errorCode !== 'ThrottlingException') return;
        throttled++;
        const near = [calls[i - 1], calls[i + 1]];
        if (near.some((n) => n?.errorCode === 'ThrottlingException' && n.principal === c.principal)) inRuns++;
      });
    expect(throttled).toBeGreaterThan(0);
    // A run may lose a member to an operation that is never throttled, rarely more.
    expect(inRuns / throttled).toBeGreaterThan(0.8);
  });
});
