import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CLI } from './tree.js';

/** Runs the built `trailsim` CLI (`npm test` builds first). */
export function trailsim(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under a folder, `/`-separated and relative to it, sorted. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** A gzipped JSON file, parsed, with its uncompressed bytes. */
export function readGzJson<T = unknown>(path: string): { raw: Buffer; body: T } {
  const raw = gunzipSync(readFileSync(path));
  return { raw, body: JSON.parse(raw.toString('utf8')) as T };
}

export interface Manifest {
  trail: {
    arn: string;
    bucket: string;
    name: string;
    homeRegion: string;
    accountTrails: Record<string, string>;
  };
  files: { key: string; sha256: string; metadata?: Record<string, string> }[];
}

export function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'trailsim-manifest.json'), 'utf8')) as Manifest;
}

/** What a small test run is: its seed and size, its accounts and Regions, and its period when not the default. */
export interface SmallRun {
  seed: number;
  events: number;
  accounts?: number;
  regions: readonly string[];
  start?: string;
  end?: string;
}

/**
 * The `generate` flags of a small run.
 *
 * @example runFlags({ seed: 11, events: 300, accounts: 1, regions: ['us-east-1'] })
 * // ['--seed', '11', '--events', '300', '--accounts', '1', '--regions', 'us-east-1']
 */
export function runFlags(run: SmallRun): string[] {
  return [
    ...['--seed', String(run.seed), '--events', String(run.events)],
    ...(run.accounts !== undefined ? ['--accounts', String(run.accounts)] : []),
    ...['--regions', run.regions.join(',')],
    ...(run.start !== undefined ? ['--start', run.start] : []),
    ...(run.end !== undefined ? ['--end', run.end] : []),
  ];
}
