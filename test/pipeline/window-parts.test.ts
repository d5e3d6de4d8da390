import { describe, expect, it } from 'vitest';
import { generateLogFiles, prepare, windowsOf } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';

describe('busy windows', () => {
  it('are delivered as files of at most 5,000 records, in delivery order, all records kept', () => {
    const p = prepare(
      resolveScenario({
        seed: 4,
        events: 40_000,
        accounts: 1,
        regions: ['us-east-1'],
        start: '2026-11-02T14:00:00Z',
        end: '2026-11-02T14:20:00Z',
      }),
    );
    expect([...windowsOf(p)].some((w) => (w.part ?? 0) > 0)).toBe(true);
    let last = -Infinity;
    let records = 0;
    const ids = new Set<string>();
    for (const f of generateLogFiles(p)) {
      expect(f.recordCount).toBeLessThanOrEqual(5000);
      // Digests list files by delivery time: a later file is never delivered earlier.
      expect(f.deliveryTime).toBeGreaterThanOrEqual(last);
      expect(f.deliveryTime).toBeGreaterThan(f.newestEventTime);
      last = f.deliveryTime;
      records += f.recordCount;
      ids.add(f.key);
    }
    expect(records).toBe(40_000);
    expect(ids.size).toBeGreaterThan(8);
  });
});
