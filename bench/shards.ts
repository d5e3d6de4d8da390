/**
 * The bench's split run: the same run written by one `trailsim generate` process with a worker per
 * core, and as `shards` shards (`--shard i/<shards>`, one worker each) run `concurrent` processes
 * at a time, as a batch engine with that many slots on one machine would run them. Both are the
 * built command in new processes, start-up included. The shards' manifests together must list
 * exactly the files, with the same hashes, that the single process's manifest lists.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_NAME, type ManifestEntry } from '../dist/sinks/dir.js';

const CLI = fileURLToPath(new URL('../dist/bin/trailsim.cjs', import.meta.url));

/** Runs `trailsim <args>` in a new process; resolves when it exits 0. */
function trailsim(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`trailsim ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Wall seconds of `trailsim generate <run> --out <out> --workers <workers>`. */
export async function timeOneProcess(run: string[], out: string, workers: number): Promise<number> {
  const t0 = performance.now();
  await trailsim(['generate', ...run, '--workers', String(workers), '--out', out, '--quiet']);
  return (performance.now() - t0) / 1000;
}

/**
 * Wall seconds of the run's `shards` shards into `out`, `concurrent` processes at a time, each
 * starting as soon as a slot is free.
 */
export async function timeShards(
  run: string[],
  out: string,
  shards: number,
  concurrent: number,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const slot = async (): Promise<void> => {
    for (let i = next++; i < shards; i = next++)
      await trailsim([
        'generate',
        ...run,
        '--shard',
        `${i}/${shards}`,
        '--workers',
        '1',
        '--out',
        out,
        '--quiet',
      ]);
  };
  await Promise.all(Array.from({ length: concurrent }, slot));
  return (performance.now() - t0) / 1000;
}

/** Key → SHA-256 of every file a folder's manifests list (one run's, or all of its shards'). */
function listed(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(out).filter((n) => /^trailsim-manifest(\.shard-.*)?\.json$/.test(n))) {
    const m = JSON.parse(readFileSync(join(out, name), 'utf8')) as { files: ManifestEntry[] };
    for (const f of m.files) {
      const seen = files.get(f.key);
      if (seen !== undefined && seen !== f.sha256) throw new Error(`two shards wrote ${f.key} differently`);
      files.set(f.key, f.sha256);
    }
  }
  return files;
}

/**
 * Checks that the shards in `sharded` wrote the files of the one run in `whole`, each with the same
 * hash; returns how many files that is. Side files every shard writes (its manifest, the public
 * keys) are compared by key and hash too, where the whole run's manifest lists them.
 */
export function checkSameFiles(whole: string, sharded: string): number {
  const one = listed(whole);
  const split = listed(sharded);
  if (!readdirSync(whole).includes(MANIFEST_NAME)) throw new Error(`${whole} holds no ${MANIFEST_NAME}`);
  for (const [key, sha] of one)
    if (split.get(key) !== sha) throw new Error(`the shards did not write ${key} as one process did`);
  for (const key of split.keys())
    if (!one.has(key)) throw new Error(`a shard wrote ${key}, one process did not`);
  return one.size;
}
