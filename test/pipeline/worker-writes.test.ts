import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario, type Scenario } from '../../src/scenario/scenario.js';
import { buildRun } from '../../src/pipeline/build-run.js';
import { DirSink } from '../../src/sinks/dir.js';
import type { ManifestEntry } from '../../src/sinks/manifest.js';
import type { SinkObject } from '../../src/sinks/sink.js';
import { validateTree } from '../../src/validate/validate-tree.js';
import { hashTree, scratchFolder } from '../helpers/tree.js';

// Workers run the compiled dist/pipeline/render-worker.js; `npm test` builds before vitest.

const work = scratchFolder('worker-writes');
let n = 0;
const fresh = (): string => join(work, `run-${n++}`);

/** A DirSink that counts how its log files arrive: put by the main thread, or adopted. */
class CountingDirSink extends DirSink {
  logFilesPut = 0;
  adopted = 0;
  override async put(o: SinkObject): Promise<void> {
    if (o.key.includes('/CloudTrail/')) this.logFilesPut++;
    await super.put(o);
  }
  override adopt(entry: ManifestEntry): void {
    this.adopted++;
    super.adopt(entry);
  }
}

/** The scenario's input, for variants of it. */
const input = {
  seed: 5151,
  events: 6000,
  regions: 'us-east-1,eu-west-1,ap-south-1',
  start: '2026-03-06T00:00:00Z',
  end: '2026-03-08T00:00:00Z',
  organizationTrail: true,
};
const scenario: Scenario = resolveScenario(input);

async function writeWith(workers: number, input: Scenario = scenario) {
  const root = fresh();
  const sink = new CountingDirSink(root, { force: false });
  const summary = await buildRun(input, { sink, workers }).generate();
  return { root, sink, summary };
}

describe('render workers writing into a folder', () => {
  it('write the log files themselves: the same tree and manifest, byte for byte, as the main thread writes', async () => {
    const inline = await writeWith(0);
    expect(inline.sink.adopted).toBe(0);
    expect(inline.sink.logFilesPut).toBe(inline.summary.files);
    for (const workers of [1, 2]) {
      const run = await writeWith(workers);
      // The main thread put no log file: every one was written by a worker and adopted.
      expect(run.sink.logFilesPut, `${workers} workers`).toBe(0);
      expect(run.sink.adopted, `${workers} workers`).toBe(inline.summary.files);
      expect(run.summary).toEqual(inline.summary);
      // The manifest lists each file with the size and SHA-256 of its bytes, in delivery order.
      expect(hashTree(run.root)).toEqual(hashTree(inline.root));
      const report = await validateTree(run.root);
      expect(report.findings, `${workers} workers`).toEqual([]);
      expect(report.logFiles).toBe(inline.summary.files);
      expect(report.signaturesVerified).toBe(report.digests);
    }
  });

  it('leave nothing behind when the run fails after workers have written files', async () => {
    const root = fresh();
    const sink = new CountingDirSink(root, { force: false });
    let files = 0;
    const failing = buildRun(scenario, { sink, workers: 2 }).generate({
      onProgress: () => {
        if (++files === 200) throw new Error('stopped');
      },
    });
    await expect(failing).rejects.toThrow('stopped');
    expect(sink.adopted).toBeGreaterThan(100);
    // The folder did not exist before: it is gone, staging and worker-written files with it.
    expect(existsSync(root)).toBe(false);
  });

  it('are stopped before the sink removes their folder when the run is aborted from outside (a signal)', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const root = fresh();
      const sink = new CountingDirSink(root, { force: false });
      const run = buildRun(resolveScenario({ ...input, events: 60_000 }), { sink, workers: 2 });
      let files = 0;
      let stopped: Promise<void> | undefined;
      let requested!: () => void;
      const abortRequested = new Promise<void>((r) => (requested = r));
      const generating = run.generate({
        onProgress: () => {
          // Aborted mid-run, as the interrupt handler does, while both workers are writing.
          if (++files === 300) {
            stopped = run.abort();
            requested();
          }
        },
      });
      generating.catch(() => undefined);
      await abortRequested;
      await stopped;
      // The interrupted command exits here: nothing may be left, nor come back after.
      expect(existsSync(root), `attempt ${attempt}`).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(root), `attempt ${attempt}, a moment later`).toBe(false);
      await expect(generating).rejects.toThrow();
    }
  });

  it('leave log files to the main thread when edge cases reshape them on the way', async () => {
    const withCases = resolveScenario({ ...input, edgeCases: { profile: 'realistic' } });
    const inline = await writeWith(0, withCases);
    const run = await writeWith(2, withCases);
    expect(run.sink.adopted).toBe(0);
    expect(run.sink.logFilesPut).toBeGreaterThan(0);
    expect(hashTree(run.root)).toEqual(hashTree(inline.root));
  });

  it('keep the target untouched on failure when it already holds a run replaced with force', async () => {
    const first = await writeWith(0);
    const before = hashTree(first.root);
    const sink = new CountingDirSink(first.root, { force: true });
    let files = 0;
    const failing = buildRun(resolveScenario({ ...input, seed: 6262 }), {
      sink,
      workers: 2,
    }).generate({
      onProgress: () => {
        if (++files === 150) throw new Error('stopped');
      },
    });
    await expect(failing).rejects.toThrow('stopped');
    expect(hashTree(first.root)).toEqual(before);
    expect(readdirSync(first.root).filter((f) => f.startsWith('.trailsim-staging-'))).toEqual([]);
  });
});
