/**
 * `npm run bench` (a development tool: built to dist-bench/ against the built library in dist/,
 * never shipped): how fast trailsim writes the default scenario (log files and signed digests), and how close it comes to the
 * floor, the cost of serialising and gzipping the same records with nothing else: on one thread,
 * against one worker, and on a thread per core, against a worker per core (the most that any
 * program doing that work could write per second on the machine at the time).
 *
 * Each case runs in a child process, so that its peak RSS (`process.resourceUsage().maxRSS`, which
 * covers every thread of the process, workers included) is its own. Then it times the CLI on a
 * fixture-sized run, `trailsim generate --events 100`, start-up included. Flags: `--events <n>`
 * (default 1,000,000), `--long` (also 10,000,000, run once), `--runs <n>` (runs of each case up to
 * 1,000,000 events, default 3; medians are compared), `--dir <folder>` (where the temporary output
 * goes, default the OS temp folder), `--workers <a,b,…>` (default 1 and every core), `--gzip-level
 * <1-9>` (default the scenario's, 6).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { gzip } from '../dist/layout/encode.js';
import { resolveScenario } from '../dist/scenario/scenario.js';
import { buildRun } from '../dist/pipeline/build-run.js';
import { DirSink, MANIFEST_NAME, type ManifestEntry } from '../dist/sinks/dir.js';

/** What one case reports back from its child process. */
interface CaseResult {
  events: number;
  workers: number;
  seconds: number;
  cpuSeconds: number;
  files: number;
  records: number;
  rawBytes: number;
  bytes: number;
  maxRssKb: number;
}

const SEED = 42;

/** The `trailsim` command's launcher (src/cli/launcher.cjs), for its rule of the thread pool's size. */
const launcher = createRequire(import.meta.url)('../dist/bin/trailsim.cjs') as {
  threadPoolSize(env: NodeJS.ProcessEnv): string;
};

function scenarioFor(events: number, gzipLevel?: number) {
  // The default scenario (its accounts, Regions and day), with the event count overridden.
  return resolveScenario({ seed: SEED, events, ...(gzipLevel !== undefined ? { gzipLevel } : {}) });
}

/** Runs in the child: one generation into `out`, measured from the first step to the last byte. */
async function runCase(events: number, workers: number, out: string, level: number): Promise<void> {
  const scenario = scenarioFor(events, level);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sink = new DirSink(out, { force: false });
  // As `trailsim generate` runs by default: log files and signed digests.
  const s = await buildRun(scenario, { sink, workers }).generate();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result: CaseResult = {
    events,
    workers,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    files: s.files,
    records: s.records,
    rawBytes: s.rawBytes,
    bytes: s.bytes,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Starts a case in a child process and returns what it measured. */
function spawnCase(events: number, workers: number, out: string, level: number): CaseResult {
  const script = fileURLToPath(import.meta.url);
  const args = [script, '--child', String(events), String(workers), out, String(level)];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
    // The thread pool that signs digests, sized as the `trailsim` command sizes it.
    env: { ...process.env, UV_THREADPOOL_SIZE: launcher.threadPoolSize(process.env) },
  });
  if (child.status !== 0) throw new Error(`bench case ${events}/${workers} failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

/**
 * The floor: for each log file of a finished run, parse its records (not timed), then time
 * `JSON.stringify` of them and gzip at the same level, one file at a time on one thread. The gzip is
 * trailsim's own (one zlib stream reset between files), the cheapest way Node offers, so that the
 * floor has no set-up cost per file that trailsim does not pay.
 */
function measureFloor(out: string, level: number): { seconds: number; records: number } {
  let next = 0;
  return floorOfFiles(out, logFileKeys(out), level, () => next++);
}

/** The keys of a finished run's log files, in its manifest's order. */
function logFileKeys(out: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, MANIFEST_NAME), 'utf8')) as { files: ManifestEntry[] };
  return manifest.files.filter((f) => f.key.includes('/CloudTrail/')).map((f) => f.key);
}

/**
 * The floor's work on the files whose positions in `keys` `take` hands out, until it hands out one
 * past the end: the seconds spent serialising and gzipping, and the records.
 */
function floorOfFiles(
  out: string,
  keys: readonly string[],
  level: number,
  take: () => number,
): { seconds: number; records: number } {
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
 * The floor on `threads` threads at once: what the same work costs when it has every core, and so
 * the most that any program doing it, and nothing else, could write per second on this machine
 * now. The threads take the files one by one from a shared counter (as trailsim's workers take
 * windows), each timing only its own serialising and gzipping; parsing, untimed, keeps its core
 * busy in between, so the timed work meets the same contention as in a run. The result is the
 * slowest thread's time.
 */
async function measureFloorOnThreads(
  out: string,
  level: number,
  threads: number,
): Promise<{ seconds: number; records: number }> {
  const job: FloorJob = { out, keys: logFileKeys(out), level, next: new SharedArrayBuffer(4) };
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<{ seconds: number; records: number }>((resolve, reject) => {
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

/** Runs in a floor thread (see `measureFloorOnThreads`). */
function floorThread(job: FloorJob): void {
  const next = new Int32Array(job.next);
  parentPort!.postMessage(floorOfFiles(job.out, job.keys, job.level, () => Atomics.add(next, 0, 1)));
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    await runCase(Number(argv[1]), Number(argv[2]), argv[3]!, Number(argv[4]));
    return;
  }
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const cores = availableParallelism();
  const sizes = [Number(flag('--events') ?? 1_000_000)];
  if (argv.includes('--long')) sizes.push(10_000_000);
  const workerCounts = (flag('--workers') ?? `1,${cores}`).split(',').map(Number);
  const runs = Number(flag('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a whole number ≥ 1, got ${flag('--runs')}`);
  const parent = flag('--dir') ?? tmpdir();
  const level = scenarioFor(
    1,
    flag('--gzip-level') === undefined ? undefined : Number(flag('--gzip-level')),
  ).gzipLevel;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  process.stdout.write(
    `trailsim bench: default scenario (3 accounts × 16 Regions, one day), seed ${SEED}, gzip level ${level}\n` +
      `machine: ${cores} cores (${cpu}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, output under ${parent}\n\n`,
  );
  // Every case writes into its own folder under one root, deleted only at the end: on this
  // machine's ext4, creating files right after a large delete costs up to a millisecond each
  // (the allocator skips the inodes just freed), which would bill one case for the previous one.
  const root = mkdtempSync(join(parent, 'trailsim-bench-'));
  try {
    process.stdout.write(
      `${(await measureCases(sizes, workerCounts, level, cores, root, runs)).join('\n')}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The median of some numbers (the lower middle one of an even count). */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * Runs every case into folders under `root`, printing a row each; returns the summary lines. At
 * sizes up to 1,000,000 each case runs `runs` times, the worker counts taking turns so that a slow
 * spell of the machine falls on all of them, and the summary compares medians: on this virtual
 * machine one run's time moves by a tenth from the next, and a ratio of two single runs by more.
 */
async function measureCases(
  sizes: number[],
  workerCounts: number[],
  level: number,
  cores: number,
  root: string,
  runs: number,
): Promise<string[]> {
  const widths = [10, 7, 3, 8, 8, 10, 8, 8, 9, 7, 8];
  process.stdout.write(
    `${row(['events', 'workers', 'run', 'seconds', 'cpu s', 'events/s', 'raw MB/s', 'gz MB/s', 'peak RSS', 'files', 'rec/file'], widths)}\n`,
  );
  const summaries: string[] = [];
  for (const events of sizes) {
    const repeats = events <= 1_000_000 ? runs : 1;
    const seconds = new Map<number, number[]>(workerCounts.map((w) => [w, []]));
    const floors: number[] = [];
    const floorsOnCores: number[] = [];
    for (let run = 1; run <= repeats; run++) {
      for (const workers of workerCounts) {
        const out = join(root, `${events}-${workers}-${run}`);
        const r = spawnCase(events, workers, out, level);
        seconds.get(workers)!.push(r.seconds);
        process.stdout.write(
          `${row(
            [
              fmt(events),
              String(workers),
              String(run),
              fmt(r.seconds, 1),
              fmt(r.cpuSeconds, 1),
              fmt(r.records / r.seconds),
              fmt(r.rawBytes / 1e6 / r.seconds, 1),
              fmt(r.bytes / 1e6 / r.seconds, 1),
              `${fmt(r.maxRssKb / 1024)} MB`,
              fmt(r.files),
              fmt(r.records / r.files, 1),
            ],
            widths,
          )}\n`,
        );
        // The floor, once a run, on the records of the run's first case (every case has the same).
        if (floors.length < run && events <= 1_000_000) {
          // Both floors must have served every record of the run, or they measured other work.
          const covered = (f: { seconds: number; records: number }): number => {
            if (f.records !== r.records)
              throw new Error(`the floor read ${f.records} records of a run of ${r.records}`);
            return f.seconds;
          };
          floors.push(covered(measureFloor(out, level)));
          if (cores > 1) floorsOnCores.push(covered(await measureFloorOnThreads(out, level, cores)));
        }
      }
    }
    const of = (label: string, xs: number[]): string =>
      repeats > 1
        ? `${label} ${fmt(median(xs), 1)} s (runs: ${xs.map((x) => fmt(x, 1)).join(', ')})`
        : `${label} ${fmt(xs[0]!, 1)} s`;
    const one = seconds.get(1);
    const all = seconds.get(cores);
    const prefix = `${fmt(events)} events${repeats > 1 ? `, medians of ${repeats} runs` : ''}:`;
    if (floors.length > 0 && one)
      summaries.push(
        `${prefix} ${of(`floor (JSON.stringify + gzip level ${level}, one thread)`, floors)}; ` +
          `${of('1 worker', one)}, ${fmt(median(one) / median(floors), 2)}× the floor`,
      );
    if (one && all && cores > 1)
      summaries.push(
        `${prefix} ${of(`${cores} workers`, all)}, ${fmt(events / median(all))} events/s, ` +
          `${fmt(median(one) / median(all), 2)}× faster than 1`,
      );
    if (floorsOnCores.length > 0 && floors.length > 0) {
      const onCores = median(floorsOnCores);
      summaries.push(
        `${prefix} ${of(`floor on ${cores} threads`, floorsOnCores)}, ${fmt(events / onCores)} events/s ` +
          `(the most any program doing only the floor's work could write here, now), ` +
          `${fmt(median(floors) / onCores, 2)}× faster than on 1` +
          (all ? `; ${cores} workers take ${fmt(median(all) / onCores, 2)}× its time` : ''),
      );
    }
  }
  summaries.push(timeSmallRun(root));
  return ['', ...summaries];
}

/**
 * Wall time of `trailsim generate --events 100 --out <new folder>` as CI runs it for a fixture:
 * a fresh process each time, start-up, log files, digests and the move into place included. The
 * median of five runs, after one that warms the disk cache.
 */
function timeSmallRun(root: string): string {
  const cli = fileURLToPath(new URL('../dist/bin/trailsim.cjs', import.meta.url));
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const dir = join(root, `small-${i}`);
    const t0 = performance.now();
    const child = spawnSync(
      process.execPath,
      [cli, 'generate', '--events', '100', '--out', join(dir, 'out'), '--quiet'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (child.status !== 0) throw new Error(`trailsim generate --events 100 failed (exit ${child.status})`);
    if (i > 0) times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return (
    `trailsim generate --events 100 (a new process, digests included): median ${fmt(times[2]!, 2)} s ` +
    `of 5 runs (fastest ${fmt(times[0]!, 2)} s, slowest ${fmt(times[4]!, 2)} s)`
  );
}

if (isMainThread) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
} else {
  floorThread(workerData as FloorJob);
}
