/**
 * The bench's floors: what the same output costs with nothing of trailsim in the way. Two of them,
 * because a run is bound by whichever is slower on the machine at the time:
 *
 * - the CPU floor: `JSON.stringify` of a finished run's records plus gzip at the same level, on
 *   one thread or on a thread per core (the most any program doing only that work could write);
 * - the write floor: the run's files (log files, digests, side files) written again by a plain
 *   loop on one thread into a fresh folder beside it (the most the file system takes per second).
 *
 * A floor thread is this module run again as a worker (see the end of the file).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { gzip } from '../dist/layout/encode.js';
import { MANIFEST_NAME, type ManifestEntry } from '../dist/sinks/dir.js';

/** What a floor measured: its seconds, and the records (or files) it served. */
export interface Floor {
  seconds: number;
  records: number;
}

/** The keys of a finished run's files in its manifest's order, the manifest itself last. */
export function runKeys(out: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, MANIFEST_NAME), 'utf8')) as { files: ManifestEntry[] };
  return [...manifest.files.map((f) => f.key), MANIFEST_NAME];
}

/** The keys of a finished run's log files, in its manifest's order. */
function logFileKeys(out: string): string[] {
  return runKeys(out).filter((k) => k.includes('/CloudTrail/'));
}

/**
 * The CPU floor on one thread: for each log file of a finished run, parse its records (not timed),
 * then time `JSON.stringify` of them and gzip at the same level, one file at a time. The gzip is
 * trailsim's own (one zlib stream reset between files), the cheapest way Node offers, so that the
 * floor has no set-up cost per file that trailsim does not pay.
 */
export function measureFloor(out: string, level: number): Floor {
  let next = 0;
  return floorOfFiles(out, logFileKeys(out), level, () => next++);
}

/**
 * The floor's work on the files whose positions in `keys` `take` hands out, until it hands out one
 * past the end: the seconds spent serialising and gzipping, and the records.
 */
function floorOfFiles(out: string, keys: readonly string[], level: number, take: () => number): Floor {
  let ns = 0n;
  let records = 0;
  for (let i = take(); i < keys.length; i = take()) {
    const parsed = JSON.parse(gunzipSync(readFileSync(join(out, keys[i]!))).toString('utf8')) as {
      Records: unknown[];
    };
    records += parsed.Records.length;
    const t = process.hrtime.bigint();
    gzip(Buffer.from(JSON.stringify(parsed), 'utf8'), level);
    ns += process.hrtime.bigint() - t;
  }
  return { seconds: Number(ns) / 1e9, records };
}

/** What a floor thread is given. */
interface FloorJob {
  out: string;
  keys: string[];
  level: number;
  /** One Int32: the position of the next file to take, shared by the threads. */
  next: SharedArrayBuffer;
}

/**
 * The CPU floor on `threads` threads at once: what the same work costs when it has every core, and
 * so the most that any program doing it, and nothing else, could write per second on this machine
 * now. The threads take the files one by one from a shared counter (as trailsim's workers take
 * windows), each timing only its own serialising and gzipping; parsing, untimed, keeps its core
 * busy in between, so the timed work meets the same contention as in a run. The result is the
 * slowest thread's time.
 */
export async function measureFloorOnThreads(out: string, level: number, threads: number): Promise<Floor> {
  const job: FloorJob = { out, keys: logFileKeys(out), level, next: new SharedArrayBuffer(4) };
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<Floor>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: job });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`a floor thread exited (code ${code})`)));
        }),
    ),
  );
  return {
    seconds: Math.max(...results.map((r) => r.seconds)),
    records: results.reduce((sum, r) => sum + r.records, 0),
  };
}

/**
 * The write floor: every file of the finished run in `out` read into memory (not timed), then
 * written by a plain loop on one thread into `fresh` (a folder that does not exist yet, on the
 * same file system): each folder created once before its first file, each file created, written
 * and closed, as `writeFileSync` does. No staging, no rename, no fsync (trailsim does none either:
 * the kernel writes back behind both). `records` here counts the files.
 */
export function measureWriteFloor(out: string, fresh: string): Floor {
  const files = runKeys(out).map((key) => ({ key, body: readFileSync(join(out, key)) }));
  const made = new Set<string>();
  const t = process.hrtime.bigint();
  for (const f of files) {
    const path = join(fresh, f.key);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, f.body, { flag: 'wx' });
  }
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, records: files.length };
}

if (!isMainThread) {
  const job = workerData as FloorJob;
  const next = new Int32Array(job.next);
  parentPort!.postMessage(floorOfFiles(job.out, job.keys, job.level, () => Atomics.add(next, 0, 1)));
}
