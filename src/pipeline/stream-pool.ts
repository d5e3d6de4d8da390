import { Worker } from 'node:worker_threads';
import type { LogFile } from '../layout/log-file.js';
import { Rng } from '../shared/rng.js';
import type { Prepared } from './generate.js';
import { fileMessage, logFileFromMessage, workerScript, type FileMessage } from './parallel.js';
import { StreamBuffers, streamPairsOf, type Emitted, type StreamOutputKind } from './stream-pairs.js';

/** How a stream renders: on the main thread, or spread over worker threads by account and Region. */
export interface StreamRenderer {
  /** Renders `counts[i]` calls for pair i (zero for most) at the instant `now`. */
  emit(counts: readonly number[], now: number, second: number, earliest: number): Promise<Emitted>;
  /** Delivers every held record as log files at `now`. */
  deliverAll(now: number): Promise<LogFile[]>;
  close(): Promise<void>;
}

export type { StreamOutputKind };

/** Records a stream holds for delivery across all its pairs (and workers) at the most. */
export const MAX_HELD = 50_000;

/** What a stream worker is started with, besides the scenario. */
export interface StreamWorkerSetup {
  /** The pairs (positions in `streamPairsOf`) this worker renders. */
  owned: number[];
  output: StreamOutputKind;
  maxHeld: number;
  /** Forks the worker's random stream (file names, EventBridge ids). */
  label: string;
}

/** A request to a stream worker. */
export type StreamRequest =
  | { kind: 'emit'; seq: number; now: number; second: number; earliest: number; counts: [number, number][] }
  | { kind: 'deliver'; seq: number; now: number };

/** A stream worker's answer: lines, and files whose bodies lie in `bodies`. */
export interface StreamReply {
  seq: number;
  lines: string[];
  bodies: Uint8Array;
  files: FileMessage[];
}

/** A stream's renderer on the calling thread. */
export function localStreamRenderer(p: Prepared, output: StreamOutputKind): StreamRenderer {
  const buffers = new StreamBuffers(
    p,
    streamPairsOf(p),
    new Rng(p.scenario.seed).fork('stream/files'),
    output,
    MAX_HELD,
  );
  return {
    async emit(counts, now, second, earliest) {
      const out: Emitted = { lines: [], files: [] };
      counts.forEach((k, i) => {
        if (k > 0) buffers.emit(i, k, now, second, earliest, out);
      });
      return out;
    },
    async deliverAll(now) {
      return buffers.deliverAll(now);
    },
    async close() {},
  };
}

/**
 * A stream's renderer on `workers` threads: each owns every n-th account and Region, renders its
 * share of each tick's calls and holds its pairs' records until delivery, so rendering and gzip run
 * on every core while the main thread only paces, splits and writes.
 */
export function workerStreamRenderer(p: Prepared, output: StreamOutputKind, workers: number): StreamRenderer {
  const pairCount = streamPairsOf(p).length;
  const owner = (pair: number): number => pair % workers;
  const pool = Array.from({ length: workers }, (_, w) => {
    const setup: StreamWorkerSetup = {
      owned: Array.from({ length: pairCount }, (_, i) => i).filter((i) => owner(i) === w),
      output,
      maxHeld: Math.ceil(MAX_HELD / workers),
      label: `stream/files/${w}`,
    };
    return new Worker(workerScript(), { workerData: { scenario: p.scenario, stream: setup } });
  });
  let seq = 0;
  const waiting = new Map<number, { done: (r: StreamReply) => void; fail: (e: Error) => void }>();
  let failure: Error | undefined;
  const failAll = (err: Error): void => {
    failure ??= err;
    for (const w of waiting.values()) w.fail(failure);
    waiting.clear();
  };
  for (const worker of pool) {
    worker.on('message', (r: StreamReply) => {
      const w = waiting.get(r.seq);
      waiting.delete(r.seq);
      w?.done(r);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (code !== 0) failAll(new Error(`trailsim: a stream worker exited with code ${code}`));
    });
  }
  const ask = (w: number, req: StreamRequest): Promise<StreamReply> =>
    new Promise((done, fail) => {
      if (failure) return fail(failure);
      waiting.set(req.seq, { done, fail });
      pool[w]!.postMessage(req);
    });
  const gather = (replies: StreamReply[]): Emitted => {
    const out: Emitted = { lines: [], files: [] };
    for (const r of replies) {
      out.lines.push(...r.lines);
      for (const f of r.files) out.files.push(logFileFromMessage(f, r.bodies));
    }
    return out;
  };
  return {
    async emit(counts, now, second, earliest) {
      const perWorker = pool.map((): [number, number][] => []);
      counts.forEach((k, i) => {
        if (k > 0) perWorker[owner(i)]!.push([i, k]);
      });
      const asks = perWorker.flatMap((c, w) =>
        c.length > 0 ? [ask(w, { kind: 'emit', seq: seq++, now, second, earliest, counts: c })] : [],
      );
      return gather(await Promise.all(asks));
    },
    async deliverAll(now) {
      return gather(await Promise.all(pool.map((_, w) => ask(w, { kind: 'deliver', seq: seq++, now }))))
        .files;
    },
    async close() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

/**
 * Answers a stream request in a worker: the work of `StreamBuffers` for the pairs it owns, files
 * sent back in one transferred buffer.
 */
export function answerStreamRequest(
  buffers: StreamBuffers,
  req: StreamRequest,
): { reply: StreamReply; transfer: ArrayBuffer[] } {
  const out: Emitted = { lines: [], files: [] };
  if (req.kind === 'emit')
    for (const [i, k] of req.counts) buffers.emit(i, k, req.now, req.second, req.earliest, out);
  else out.files.push(...buffers.deliverAll(req.now));
  let size = 0;
  for (const f of out.files) size += f.body.length;
  const bodies = new Uint8Array(size);
  const files: FileMessage[] = [];
  let offset = 0;
  for (const f of out.files) {
    bodies.set(f.body, offset);
    files.push(fileMessage(f, offset));
    offset += f.body.length;
  }
  return {
    reply: { seq: req.seq, lines: out.lines, bodies, files },
    transfer: [bodies.buffer as ArrayBuffer],
  };
}
