/**
 * `npm run bench` (a development tool: built to dist-bench/ against the built library in dist/,
 * never shipped): how fast trailsim writes a week of the default organisation (3 accounts × 16
 * Regions, log files and signed digests), on a disk and in memory, against what the machine can do
 * at the time: the CPU floor on a thread per core and the write floor (bench/floors.ts), and split
 * into shards run a few processes at a time (bench/shards.ts).
 *
 * Each case runs in a child process, so that its peak RSS (the high-water mark `VmHWM`, which
 * covers every thread of the process, workers included) and CPU time are its own. Then it times
 * the CLI on a fixture-sized run, `trailsim generate --events 100`, start-up included.
 *
 * Flags: `--events <n>` (default 1,000,000), `--runs <n>` (runs of each case, default 3; medians
 * are compared), `--dirs <a,b,…>` (the folders whose file systems are measured, in turn; default
 * `/dev/shm`, a memory-backed tmpfs, then `.bench` in the project, which git ignores), `--workers <a,b,…>`
 * (default 1 and every core), `--shards <n>` (default 4, run a core's worth of processes at a
 * time; 0 skips them), `--gzip-level <1-9>` (default the scenario's, 6).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { resolveScenario } from '../dist/scenario/scenario.js';
import { buildRun } from '../dist/pipeline/build-run.js';
import { DirSink } from '../dist/sinks/dir.js';
import { measureFloorOnThreads, measureWriteFloor, type Floor } from './floors.js';
import { checkSameFiles, timeOneProcess, timeShards } from './shards.js';

/** What one case reports back from its child process. */
interface CaseResult {
  events: number;
  workers: number;
  seconds: number;
  cpuSeconds: number;
  systemSeconds: number;
  files: number;
  records: number;
  rawBytes: number;
  bytes: number;
  maxRssKb: number;
}

const SEED = 42;
const START = '2026-11-01T00:00:00Z';
const END = '2026-11-08T00:00:00Z';
const PROJECT = fileURLToPath(new URL('..', import.meta.url));

/** The `trailsim` command's launcher (src/cli/launcher.cjs), for its rule of the thread pool's size. */
const launcher = createRequire(import.meta.url)('../dist/bin/trailsim.cjs') as {
  threadPoolSize(env: NodeJS.ProcessEnv): string;
};

/** The scenario every case and process writes: the default organisation over a week. */
function scenarioInput(events: number, gzipLevel?: number) {
  return { seed: SEED, events, start: START, end: END, ...(gzipLevel !== undefined ? { gzipLevel } : {}) };
}

/** Runs in the child: one generation into `out`, measured from the first step to the last byte. */
async function runCase(events: number, workers: number, out: string, level: number): Promise<void> {
  const scenario = resolveScenario(scenarioInput(events, level));
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
    systemSeconds: cpu.system / 1e6,
    files: s.files + s.otherObjects,
    records: s.records,
    rawBytes: s.rawBytes,
    bytes: s.bytes,
    maxRssKb: peakRssKb(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * This process's peak resident memory, every thread's, in KB: the high-water mark of its own address
 * space (`VmHWM`). Linux's `getrusage` maximum also counts the bench's own memory at the fork that
 * started the case (it is carried across `exec`), which grows as the floors read a run's files.
 */
function peakRssKb(): number {
  const hwm = existsSync('/proc/self/status')
    ? /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    : undefined;
  return hwm !== undefined ? Number(hwm) : process.resourceUsage().maxRSS;
}

/** Starts a case in a child process and returns what it measured. */
function spawnCase(events: number, workers: number, out: string, level: number): CaseResult {
  const script = fileURLToPath(import.meta.url);
  const args = [script, '--child', String(events), String(workers), out, String(level)];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
    // The thread pool that signs digests and writes files, sized as the `trailsim` command sizes it.
    env: { ...process.env, UV_THREADPOOL_SIZE: launcher.threadPoolSize(process.env) },
  });
  if (child.status !== 0) throw new Error(`bench case ${events}/${workers} failed (exit ${child.status})`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** The median of some numbers (the lower middle one of an even count). */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** "4.2 s (runs: 4.1, 4.2, 4.5)", or "4.2 s" for one run. */
function medianOf(xs: number[]): string {
  return xs.length > 1
    ? `${fmt(median(xs), 1)} s (runs: ${xs.map((x) => fmt(x, 1)).join(', ')})`
    : `${fmt(xs[0]!, 1)} s`;
}

/** A folder's file system, by statfs's magic number: what the bench's lines call it. */
function fileSystemOf(dir: string): string {
  const type = statfsSync(dir).type;
  const known: Record<number, string> = {
    0x01021994: 'tmpfs',
    0xef53: 'ext4',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
  };
  return known[type] ?? `file system 0x${type.toString(16)}`;
}

interface Settings {
  events: number;
  workerCounts: number[];
  runs: number;
  level: number;
  cores: number;
  shards: number;
}

/**
 * Every case on one file system, under `root`, each in a folder of its own, all deleted only at the
 * end: on ext4, creating files right after a large delete costs up to a millisecond each (the
 * allocator skips the inodes just freed), which would bill one case for the previous one. The
 * worker counts take turns, then the floors and the split run, once a run, so that a slow spell of
 * a shared machine falls on all of them; the summary compares medians. Returns the summary lines.
 */
async function measureFileSystem(label: string, root: string, s: Settings): Promise<string[]> {
  const widths = [10, 7, 3, 8, 8, 6, 10, 8, 8, 9, 7];
  process.stdout.write(
    `${row(['events', 'workers', 'run', 'seconds', 'cpu s', 'sys s', 'events/s', 'raw MB/s', 'gz MB/s', 'peak RSS', 'files'], widths)}\n`,
  );
  const seconds = new Map<number, number[]>(s.workerCounts.map((w) => [w, []]));
  /** Cores each case kept busy: its CPU seconds (every thread, the kernel's share included) per second. */
  const busy = new Map<number, number[]>(s.workerCounts.map((w) => [w, []]));
  const cpuFloors: number[] = [];
  const writeFloors: number[] = [];
  const oneProcess: number[] = [];
  const sharded: number[] = [];
  let files = 0;
  const scenarioFile = join(root, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(scenarioInput(s.events, s.level)));
  const run = ['--scenario', scenarioFile];
  for (let n = 1; n <= s.runs; n++) {
    let first: string | undefined;
    for (const workers of s.workerCounts) {
      const out = join(root, `${workers}-workers-${n}`);
      const r = spawnCase(s.events, workers, out, s.level);
      first ??= out;
      seconds.get(workers)!.push(r.seconds);
      busy.get(workers)!.push(r.cpuSeconds / r.seconds);
      files = r.files;
      process.stdout.write(
        `${row(
          [
            fmt(s.events),
            String(workers),
            String(n),
            fmt(r.seconds, 1),
            fmt(r.cpuSeconds, 1),
            fmt(r.systemSeconds, 1),
            fmt(r.records / r.seconds),
            fmt(r.rawBytes / 1e6 / r.seconds, 1),
            fmt(r.bytes / 1e6 / r.seconds, 1),
            `${fmt(r.maxRssKb / 1024)} MB`,
            fmt(r.files),
          ],
          widths,
        )}\n`,
      );
    }
    // The floors, on the files of the run's first case (every case writes the same).
    const covered = (f: Floor, expected: number, what: string): number => {
      // A floor must have served the whole run, or it measured other work.
      if (f.records !== expected) throw new Error(`the ${what} served ${f.records} of ${expected}`);
      return f.seconds;
    };
    const records = s.events;
    cpuFloors.push(covered(await measureFloorOnThreads(first!, s.level, s.cores), records, 'CPU floor'));
    const written = measureWriteFloor(first!, join(root, `write-floor-${n}`));
    writeFloors.push(written.seconds);
    if (s.shards > 0) {
      const whole = join(root, `one-process-${n}`);
      const split = join(root, `shards-${n}`);
      oneProcess.push(await timeOneProcess(run, whole, s.cores));
      sharded.push(await timeShards(run, split, s.shards, s.cores));
      checkSameFiles(whole, split);
    }
    process.stdout.write(
      `  run ${n}: CPU floor on ${s.cores} threads ${fmt(cpuFloors.at(-1)!, 1)} s, write floor ` +
        `${fmt(writeFloors.at(-1)!, 1)} s (${fmt(written.records)} files)` +
        (s.shards > 0
          ? `; one process, ${s.cores} workers ${fmt(oneProcess.at(-1)!, 1)} s, ${s.shards} shards ` +
            `${s.cores} at a time ${fmt(sharded.at(-1)!, 1)} s`
          : '') +
        '\n',
    );
  }
  const floor = Math.max(median(cpuFloors), median(writeFloors));
  const head = `[${label}] ${fmt(s.events)} events over a week, ${fmt(files)} files${s.runs > 1 ? `, medians of ${s.runs} runs` : ''}:`;
  const lines = [
    `${head} CPU floor (JSON.stringify + gzip level ${s.level}) on ${s.cores} threads ${medianOf(cpuFloors)}; ` +
      `write floor (the same files, a plain loop, one thread) ${medianOf(writeFloors)}; the larger ${fmt(floor, 1)} s`,
  ];
  const one = seconds.get(1);
  for (const workers of s.workerCounts) {
    const xs = seconds.get(workers)!;
    lines.push(
      `${head} ${workers} worker${workers === 1 ? '' : 's'} ${medianOf(xs)}, ${fmt(s.events / median(xs))} events/s, ` +
        `${fmt(median(xs) / floor, 2)}× the larger floor, ${fmt(median(busy.get(workers)!), 2)} cores busy` +
        (one && workers !== 1 ? `, ${fmt(median(one) / median(xs), 2)}× faster than 1 worker` : ''),
    );
  }
  if (s.shards > 0)
    lines.push(
      `${head} ${s.shards} shards as ${s.cores} processes at a time (1 worker each) ${medianOf(sharded)}; ` +
        `one process with ${s.cores} workers ${medianOf(oneProcess)}; the shards take ` +
        `${fmt(median(sharded) / median(oneProcess), 2)}× its time and wrote the same files`,
    );
  return lines;
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
      { stdio: ['ignore', 'ignore', 'inherit'] },
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

/** A whole number ≥ `min` from a flag, or a one-line error. */
function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name}: expected a whole number ≥ ${min}, got ${text}`);
  return n;
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
  const gzipFlag = flag('--gzip-level');
  const settings: Settings = {
    events: wholeNumber('--events', flag('--events') ?? '1000000', 1),
    workerCounts: (flag('--workers') ?? `1,${cores}`).split(',').map((w) => wholeNumber('--workers', w, 0)),
    runs: wholeNumber('--runs', flag('--runs') ?? '3', 1),
    level: resolveScenario(scenarioInput(1, gzipFlag === undefined ? undefined : Number(gzipFlag))).gzipLevel,
    cores,
    shards: wholeNumber('--shards', flag('--shards') ?? '4', 0),
  };
  // Memory first: on ext4 a file created within a minute of a large delete (of an earlier bench's
  // folders, say) costs several times the kernel time; the tmpfs cases give that minute.
  const defaultDirs = [...(existsSync('/dev/shm') ? ['/dev/shm'] : []), join(PROJECT, '.bench')];
  const dirs =
    flag('--dirs')
      ?.split(',')
      .map((d) => resolve(d)) ?? defaultDirs;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = (): string =>
    loadavg()
      .map((l) => fmt(l, 2))
      .join(', ');
  process.stdout.write(
    `trailsim bench: default organisation (3 accounts × 16 Regions) over a week, seed ${SEED}, gzip level ${settings.level}\n` +
      `machine: ${cores} cores (${cpu}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}; load average ${load()}\n`,
  );
  const summaries: string[] = [];
  let small = '';
  for (const dir of dirs) {
    // Deleted inodes whose blocks are written out count as recently deleted for a minute, not six.
    spawnSync('sync');
    mkdirSync(dir, { recursive: true });
    const label = `${fileSystemOf(dir)} ${dir}`;
    process.stdout.write(`\n${label}\n`);
    const root = mkdtempSync(join(dir, 'trailsim-bench-'));
    try {
      summaries.push(...(await measureFileSystem(label, root, settings)));
      if (dir === dirs.at(-1)) small = timeSmallRun(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\n${[...summaries, small].join('\n')}\nload average at the end ${load()}\n`);
}

if (isMainThread) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
