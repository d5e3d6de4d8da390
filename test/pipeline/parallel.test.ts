import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveScenario, type Scenario } from '../../src/scenario/scenario.js';
import { buildRun } from '../../src/pipeline/build-run.js';
import { generateLogFiles, prepare, windowsOf } from '../../src/pipeline/generate.js';
import {
  fileMessage,
  logFileFromMessage,
  renderLogFiles,
  SMALL_RUN_EVENTS,
  workerCount,
  workerHeapLimits,
  workerScript,
  windowFromMessage,
  windowMessage,
} from '../../src/pipeline/parallel.js';
import type { Sink, SinkObject } from '../../src/sinks/sink.js';

// Workers run the compiled dist/pipeline/render-worker.js (a worker cannot load TypeScript);
// `npm test` builds before vitest, so dist/ matches src/.

/** A sink that keeps the SHA-256 of every object, in the order they were put. */
class HashSink implements Sink {
  readonly objects: [string, string][] = [];
  closed = false;
  aborted = false;
  async put(o: SinkObject): Promise<void> {
    this.objects.push([o.key, createHash('sha256').update(o.body).digest('hex')]);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  async abort(): Promise<void> {
    this.aborted = true;
  }
}

const scenario: Scenario = resolveScenario({
  seed: 4242,
  events: 6000,
  regions: 'us-east-1,eu-west-1,ap-south-1',
  start: '2026-03-06T00:00:00Z',
  end: '2026-03-08T00:00:00Z',
  organizationTrail: true,
  errorRate: 0.2,
});

async function hashesWith(workers: number): Promise<[string, string][]> {
  const sink = new HashSink();
  const summary = await buildRun(scenario, { sink, workers }).generate();
  expect(sink.closed).toBe(true);
  expect(summary.records).toBe(scenario.events);
  return sink.objects;
}

describe('rendering in worker threads', () => {
  it('writes the same files, in the same order, byte for byte, with 0, 1, 2 and 4 workers', async () => {
    const inline = await hashesWith(0);
    // Enough files that batches of several windows go to several workers and come back out of order.
    expect(inline.length).toBeGreaterThan(300);
    for (const workers of [1, 2, 4]) expect(await hashesWith(workers), `${workers} workers`).toEqual(inline);
  });

  it('yields the log files of generateLogFiles, in plan order', async () => {
    const p = prepare(scenario);
    const expected = [...generateLogFiles(p)].map((f) => [f.key, f.sha256, f.recordCount]);
    const got = [];
    for await (const f of renderLogFiles(p, 3)) {
      got.push([f.key, f.sha256, f.recordCount]);
      // The body is a view of exactly the file's bytes, not of the whole batch buffer.
      expect(f.body.length).toBeGreaterThan(18);
      expect(f.body[0]).toBe(0x1f);
    }
    expect(got).toEqual(expected);
  });

  it("carries windows to a worker as positions in the run's lifecycles and rebuilds them there", () => {
    const p = prepare(scenario);
    const index = new Map(p.lifecycles.map((c, i) => [c, i]));
    // The worker prepares the run itself: its lifecycles are equal objects, not the same ones.
    const theirs = prepare(scenario).lifecycles;
    const windows = [...windowsOf(p)];
    expect(windows.some((w) => w.scheduled.length > 0)).toBe(true);
    for (const w of windows) {
      const m = windowMessage(w, index);
      expect(m.scheduled.every((i) => Number.isInteger(i))).toBe(true);
      const back = windowFromMessage(structuredClone(m), theirs);
      expect(back).toEqual(w);
      back.scheduled.forEach((c, k) => expect(c).toBe(theirs[m.scheduled[k]!]));
    }
  });

  it('carries log files back in one buffer, every field and the exact body bytes, and no body of their own', () => {
    const files = [...generateLogFiles(prepare(scenario))].slice(0, 40);
    const bodies = new Uint8Array(files.reduce((n, f) => n + f.body.length, 0));
    let offset = 0;
    const messages = files.map((f) => {
      bodies.set(f.body, offset);
      const m = fileMessage(f, offset);
      offset += f.body.length;
      return m;
    });
    for (const m of messages) expect(m).not.toHaveProperty('body');
    const back = structuredClone(messages).map((m) => logFileFromMessage(m, bodies));
    const plain = (f: (typeof files)[number]) => ({ ...f, body: Buffer.from(f.body).toString('hex') });
    expect(back.map(plain)).toEqual(files.map(plain));
  });

  it('stops its workers and aborts the sink when writing fails', async () => {
    let puts = 0;
    const sink = new HashSink();
    sink.put = async () => {
      if (++puts === 5) throw new Error('disk full');
    };
    await expect(buildRun(scenario, { sink, workers: 2 }).generate()).rejects.toThrow('disk full');
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
  });

  it('uses a worker per core by default, none for a small run, and exactly the number asked for', () => {
    expect(workerCount(undefined, SMALL_RUN_EVENTS - 1)).toBe(0);
    expect(workerCount(undefined, SMALL_RUN_EVENTS)).toBeGreaterThanOrEqual(1);
    expect(workerCount(3, 10)).toBe(3);
    expect(workerCount(0, 10_000_000)).toBe(0);
  });

  it('sizes worker heaps for the world and the busiest window, and lifts the cap past 1 GB', () => {
    const small = workerHeapLimits(100, 10 * 2 ** 20);
    const busy = workerHeapLimits(50_000, 10 * 2 ** 20);
    const bigWorld = workerHeapLimits(100, 300 * 2 ** 20);
    expect(small.maxOldGenerationSizeMb).toBeGreaterThanOrEqual(64);
    // 50,000 records held as text need about 200 MB more than 100 records.
    expect(busy.maxOldGenerationSizeMb! - small.maxOldGenerationSizeMb!).toBeGreaterThan(150);
    expect(bigWorld.maxOldGenerationSizeMb! - small.maxOldGenerationSizeMb!).toBeGreaterThan(500);
    expect(workerHeapLimits(500_000, 10 * 2 ** 20)).toEqual({});
  });

  it('runs the compiled worker script, also when this module is TypeScript', () => {
    expect(workerScript().pathname).toMatch(/\/dist\/pipeline\/render-worker\.js$/);
  });
});
