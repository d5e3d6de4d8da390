import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import type { Window } from '../plan/window.js';
import type { LogFile, LogFileFacts, WrittenLogFile } from '../layout/log-file.js';
import type { ScheduledCall } from '../world/lifecycle.js';
import { renderWindowFiles, windowsOf, type Prepared } from './generate.js';
import { MAX_CALLS_PER_PART } from '../plan/window.js';

/** A batch of windows for one worker: several per message, so messaging costs little per window. */
export interface BatchRequest {
  seq: number;
  windows: WindowMessage[];
}

/**
 * A window as a batch carries it: its planned calls as positions in the run's lifecycles, which
 * every worker has drawn too (see `windowFromMessage`).
 */
export interface WindowMessage extends Omit<Window, 'scheduled' | 'part'> {
  part: number;
  scheduled: number[];
}

/**
 * A window for a batch. `index` gives each of the run's lifecycles (`Prepared.lifecycles`) its
 * position.
 *
 * @example windowMessage(w, new Map(p.lifecycles.map((c, i) => [c, i]))).scheduled // [3, 4]
 */
export function windowMessage(w: Window, index: ReadonlyMap<ScheduledCall, number>): WindowMessage {
  return {
    accountIndex: w.accountIndex,
    region: w.region,
    start: w.start,
    end: w.end,
    count: w.count,
    part: w.part ?? 0,
    scheduled: w.scheduled.map((c) => index.get(c)!),
  };
}

/**
 * The window a batch carried, rebuilt in the worker with the worker's own lifecycles rather than
 * copies of the main thread's, and in the shape `planWindows` gives every window. A structured
 * clone has maps of its own (docs/hot-path.md, rule 3).
 *
 * @example windowFromMessage(windowMessage(w, index), p.lifecycles) // a window equal to w
 */
export function windowFromMessage(m: WindowMessage, lifecycles: readonly ScheduledCall[]): Window {
  // Filled from an empty slice of the lifecycles: the elements kind of every list the plan makes
  // (see planWindows), where `[]`, or `map` over the cloned positions, would give other shapes.
  const scheduled = lifecycles.slice(0, 0);
  for (const i of m.scheduled) scheduled.push(lifecycles[i]!);
  return {
    accountIndex: m.accountIndex,
    region: m.region,
    start: m.start,
    end: m.end,
    count: m.count,
    scheduled,
    part: m.part,
  };
}

/**
 * A log file as a batch carries it: its body is a range of the batch's `bodies`, or, when the
 * worker wrote the file into the sink's folder itself, `objectSha256` is its hash and no body comes.
 */
export interface FileMessage extends LogFileFacts {
  bodyOffset: number;
  bodyLength: number;
  /** Hex SHA-256 of the gzipped file the worker wrote; '' when the body travels in the batch. */
  objectSha256: string;
}

/** A batch's log files; bodies travel in one transferred buffer. */
export interface BatchResult {
  seq: number;
  bodies: Uint8Array;
  files: FileMessage[];
}

/**
 * A log file for a batch, its body at `bodyOffset` in the batch's buffer, or written by the worker
 * when `objectSha256` is given. Fields are copied one by one: a spread would carry the body along,
 * to be cloned, sent and dropped.
 *
 * @example fileMessage(file, 0).bodyLength === file.body.length // true
 */
export function fileMessage(f: LogFile, bodyOffset: number, objectSha256 = ''): FileMessage {
  return {
    key: f.key,
    accountId: f.accountId,
    region: f.region,
    deliveryTime: f.deliveryTime,
    rawBytes: f.rawBytes,
    sha256: f.sha256,
    oldestEventTime: f.oldestEventTime,
    newestEventTime: f.newestEventTime,
    recordCount: f.recordCount,
    bodyOffset,
    bodyLength: f.body.length,
    objectSha256,
  };
}

/**
 * The log file a batch carried: its body a view into the batch's buffer, or, for a file the worker
 * wrote, what the manifest says of it.
 *
 * @example deliveredFromMessage(fileMessage(file, 0, sha), new Uint8Array(0)).written // { bytes, sha256: sha }
 */
export function deliveredFromMessage(m: FileMessage, bodies: Uint8Array): LogFile | WrittenLogFile {
  if (m.objectSha256 === '') return logFileFromMessage(m, bodies);
  return {
    key: m.key,
    accountId: m.accountId,
    region: m.region,
    deliveryTime: m.deliveryTime,
    rawBytes: m.rawBytes,
    sha256: m.sha256,
    oldestEventTime: m.oldestEventTime,
    newestEventTime: m.newestEventTime,
    recordCount: m.recordCount,
    written: { bytes: m.bodyLength, sha256: m.objectSha256 },
  };
}

/**
 * The log file a batch carried, its body a view into the batch's buffer.
 *
 * @example logFileFromMessage(fileMessage(file, 0), file.body) // a file equal to `file`
 */
export function logFileFromMessage(m: FileMessage, bodies: Uint8Array): LogFile {
  return {
    key: m.key,
    accountId: m.accountId,
    region: m.region,
    deliveryTime: m.deliveryTime,
    body: bodies.subarray(m.bodyOffset, m.bodyOffset + m.bodyLength),
    rawBytes: m.rawBytes,
    sha256: m.sha256,
    oldestEventTime: m.oldestEventTime,
    newestEventTime: m.newestEventTime,
    recordCount: m.recordCount,
  };
}

/** Below this many events a run renders on the main thread unless workers are asked for. */
export const SMALL_RUN_EVENTS = 20_000;
/** A batch closes when it holds this many calls or this many windows. */
const BATCH_EVENTS = 2_000;
const BATCH_WINDOWS = 64;
/**
 * Batches in flight per worker, counting those done and waiting to be written in order: enough that
 * a worker rarely waits for a slower one's batch to be consumed. A done batch holds gzipped bytes
 * only, a few hundred KB.
 */
const IN_FLIGHT_PER_WORKER = 8;
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * How many worker threads a run uses: the number asked for, or by default one per available core,
 * and none (the main thread renders) for a small run, where starting workers costs more than it
 * saves.
 *
 * @example workerCount(undefined, 1_000_000) // os.availableParallelism()
 */
export function workerCount(requested: number | undefined, events: number): number {
  if (requested !== undefined) return requested;
  return events < SMALL_RUN_EVENTS ? 0 : availableParallelism();
}

/**
 * The compiled worker script. From dist/ it sits next to this module; under vitest this module is
 * TypeScript in src/ and a worker cannot load TypeScript, so the built copy in dist/ is used
 * (`npm test` builds before it runs the tests).
 */
export function workerScript(): URL {
  const here = new URL('./render-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.js')) return here;
  const built = new URL('../../dist/pipeline/render-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(built)))
    throw new Error('trailsim: dist/pipeline/render-worker.js is missing; run `npm run build` first');
  return built;
}

/**
 * Heap limits for a render worker. Left to itself each worker's V8 heap grows to about 100 MB before
 * it collects, which with two workers and the main thread breaks a 300 MB budget; a tighter old
 * generation makes it collect sooner. The limit leaves room for the world (twice what the main
 * thread holds after preparing it) and for the busiest window (4 KB a record, with what
 * rendering leaves behind). When that passes 1 GB, V8's own limits apply. The young generation
 * gets 16 MB: rendering allocates a couple of KB per record that die at once, and a smaller nursery
 * collects so often that short-lived objects get promoted. At 1,000,000 events with two workers, a
 * run took 412 scavenges and 45 full collections with 8 MB, 230 and 23 with 16 MB, and V8's helper
 * threads (which do much of that work) about 0.5 s less CPU, for about 20 MB more peak RSS.
 *
 * @example workerHeapLimits(55_000, 30 * 2 ** 20) // { maxOldGenerationSizeMb: 339, maxYoungGenerationSizeMb: 16 }
 */
export function workerHeapLimits(busiestWindow: number, preparedHeapBytes: number): ResourceLimits {
  const oldMb = Math.ceil(64 + (2 * preparedHeapBytes) / 2 ** 20 + (busiestWindow * 4096) / 2 ** 20);
  return oldMb > 1024
    ? {}
    : { maxOldGenerationSizeMb: oldMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
}

/**
 * The most calls a window of the plan can hold: at most MAX_CALLS_PER_PART drawn calls (the plan
 * splits busier windows into parts), and the planned ones. A bound rather than the plan's own
 * maximum, which took a pass over the whole plan (a tenth of a second of CPU at a million events)
 * before the workers could start.
 */
function busiestWindow(p: Prepared): number {
  return Math.min(MAX_CALLS_PER_PART, p.randomEvents) + p.lifecycles.length;
}

/** The render workers running for each prepared run (see `stopRenderWorkers`). */
const running = new Map<Prepared, Set<Worker>>();

/**
 * Stops the render workers of a run and waits until they are gone: an interrupted run calls it
 * before its sink removes the staging folder, into which the workers may be writing.
 */
export async function stopRenderWorkers(p: Prepared): Promise<void> {
  await Promise.all([...(running.get(p) ?? [])].map((w) => w.terminate()));
}

/** What a render worker is started with. */
export interface RenderWorkerData {
  scenario: Prepared['scenario'];
  /** A `FolderSink`'s staging folder: the worker writes its files there and sends their facts. */
  writeTo: string | undefined;
}

/**
 * The log files of a run in plan order, as `generateLogFiles` gives them (only those of the
 * accounts and Regions `includes`, when given), rendered and gzipped by `workers` threads (the main
 * thread only plans and hands them out). Windows are pure, so the bytes do not depend on the number
 * of workers. Memory is bounded: at most a few batches per worker are in flight or waiting to be
 * consumed in order, and no new batch is sent until the consumer asks for more files.
 *
 * With `writeTo` (a `FolderSink`'s staging folder) and workers, each worker writes the files it
 * renders there itself and the run gets their facts (`WrittenLogFile`), not their bytes.
 */
export function renderLogFiles(
  p: Prepared,
  workers: number,
  includes?: (accountId: string, region: string) => boolean,
): AsyncGenerator<LogFile>;
export function renderLogFiles(
  p: Prepared,
  workers: number,
  includes: ((accountId: string, region: string) => boolean) | undefined,
  writeTo: string | undefined,
): AsyncGenerator<LogFile | WrittenLogFile>;
export async function* renderLogFiles(
  p: Prepared,
  workers: number,
  includes?: (accountId: string, region: string) => boolean,
  writeTo?: string,
): AsyncGenerator<LogFile | WrittenLogFile> {
  if (workers <= 0) {
    for (const w of windowsOf(p, includes)) yield* renderWindowFiles(p, w);
    return;
  }
  const limits = workerHeapLimits(busiestWindow(p), getHeapStatistics().used_heap_size);
  const workerData: RenderWorkerData = { scenario: p.scenario, writeTo };
  const pool = Array.from(
    { length: workers },
    () => new Worker(workerScript(), { workerData, resourceLimits: limits }),
  );
  const mine = running.get(p) ?? new Set<Worker>();
  running.set(p, mine);
  for (const w of pool) mine.add(w);
  const load = pool.map(() => 0);
  const done = new Map<number, (LogFile | WrittenLogFile)[]>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  pool.forEach((worker, i) => {
    worker.on('message', (r: BatchResult) => {
      load[i]!--;
      done.set(
        r.seq,
        r.files.map((m) => deliveredFromMessage(m, r.bodies)),
      );
      notify();
    });
    worker.on('error', (err) => {
      failure ??= err;
      notify();
    });
    worker.on('exit', (code) => {
      if (code !== 0) failure ??= new Error(`trailsim: a render worker exited with code ${code}`);
      notify();
    });
  });
  const windows = windowsOf(p, includes);
  const lifecycleIndex = new Map(p.lifecycles.map((c, i) => [c, i]));
  let exhausted = false;
  let sent = 0;
  let next = 0;
  const dispatch = (): void => {
    while (!exhausted && sent - next < workers * IN_FLIGHT_PER_WORKER) {
      const batch: WindowMessage[] = [];
      let events = 0;
      while (events < BATCH_EVENTS && batch.length < BATCH_WINDOWS) {
        const it = windows.next();
        if (it.done) {
          exhausted = true;
          break;
        }
        batch.push(windowMessage(it.value, lifecycleIndex));
        events += it.value.count + it.value.scheduled.length;
      }
      if (batch.length === 0) break;
      let target = 0;
      for (let i = 1; i < workers; i++) if (load[i]! < load[target]!) target = i;
      load[target]!++;
      pool[target]!.postMessage({ seq: sent++, windows: batch } satisfies BatchRequest);
    }
  };
  try {
    for (;;) {
      if (failure) throw failure;
      dispatch();
      const files = done.get(next);
      if (files) {
        done.delete(next);
        next++;
        yield* files;
        continue;
      }
      if (exhausted && next === sent) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
    for (const w of pool) mine.delete(w);
    if (mine.size === 0) running.delete(p);
  }
}
