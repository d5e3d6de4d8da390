import { performance } from 'node:perf_hooks';
import type { Sink, SinkObject } from '../sinks/sink.js';
import type { FileStage } from '../digest/file-stage.js';

export type { FileStage };
import { chainFilter, prepare, type Prepared } from './generate.js';
import type { Shard } from '../plan/shard.js';
import { renderLogFiles, workerCount } from './parallel.js';
import type { Scenario } from '../scenario/scenario.js';

export interface RunSummary {
  seed: number;
  files: number;
  records: number;
  /** Gzipped bytes of log files. */
  bytes: number;
  /** Uncompressed bytes of log files. */
  rawBytes: number;
  /** Other objects written (digests and side files). */
  otherObjects: number;
}

export interface RunHooks {
  /** The stages files pass through; `includes` names the accounts and Regions a shard writes. */
  stages?: (p: Prepared, includes?: (accountId: string, region: string) => boolean) => FileStage[];
  onProgress?: (s: RunSummary) => void;
  /** Called with the final counts before the sink closes (e.g. to put them in the manifest). */
  onFinish?: (s: RunSummary) => void;
}

/**
 * How a run is carried out: no option changes a file's bytes; a shard writes a share of the files.
 */
export interface ExecutionOptions {
  /**
   * Worker threads that render and gzip windows; 0 renders on the main thread. Default: one per
   * available core, none for small runs (see `workerCount`).
   */
  workers?: number;
  /** Write only this shard's share of the run's log files; default all of them. */
  shard?: Shard;
}

/**
 * The longest a run goes without a turn of the event loop. Sinks and stages may work synchronously
 * and the main thread may render, and a signal (Ctrl-C) is handled only at such a turn.
 */
const TURN_EVERY_MS = 50;

/**
 * Generates a run into a sink; aborts the sink (leaving nothing) if anything fails. The bytes are
 * the same whatever `exec.workers` is.
 */
export async function runGenerate(
  scenario: Scenario,
  sink: Sink,
  hooks: RunHooks = {},
  exec: ExecutionOptions = {},
): Promise<RunSummary> {
  const summary: RunSummary = {
    seed: scenario.seed,
    files: 0,
    records: 0,
    bytes: 0,
    rawBytes: 0,
    otherObjects: 0,
  };
  try {
    const prepared = prepare(scenario);
    const includes = chainFilter(prepared, exec.shard);
    const stages = hooks.stages?.(prepared, includes) ?? [];
    const putOther = async (o: SinkObject): Promise<void> => {
      await sink.put(o);
      summary.otherObjects++;
    };
    let turn = performance.now();
    for await (const file of renderLogFiles(
      prepared,
      workerCount(exec.workers, scenario.events),
      chainFilter(prepared, exec.shard),
    )) {
      if (performance.now() - turn > TURN_EVERY_MS) {
        await new Promise<void>((r) => setImmediate(r));
        turn = performance.now();
      }
      for (const st of stages) for (const o of await st.onFile(file)) await putOther(o);
      await sink.put({ key: file.key, body: file.body, contentType: 'application/x-gzip' });
      summary.files++;
      summary.records += file.recordCount;
      summary.bytes += file.body.length;
      summary.rawBytes += file.rawBytes;
      hooks.onProgress?.(summary);
    }
    for (const st of stages) for await (const o of await st.finish()) await putOther(o);
    hooks.onFinish?.(summary);
    await sink.close();
    return summary;
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
