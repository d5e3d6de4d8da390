import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

// The built CLI: `npm test` builds before vitest runs.
import { CLI, ROOT } from '../helpers/tree.js';
export { CLI, ROOT };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `trailsim <args>` as a user would, in `cwd`, stderr not a terminal; `env` adds variables. */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, TZ: 'UTC', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** Every file under `dir` (hidden ones included) with its SHA-256; empty folders as `<path>/`. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    const names = readdirSync(d).sort();
    if (names.length === 0 && d !== dir) out[`${relative(dir, d)}/`] = 'dir';
    for (const name of names) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (statSync(dir).isDirectory()) walk(dir);
  else out['.'] = createHash('sha256').update(readFileSync(dir)).digest('hex');
  return out;
}

/** The log files of a tree (not digests), parsed. */
export function readLogFiles(dir: string): { key: string; body: { Records: Record<string, unknown>[] } }[] {
  return Object.keys(hashTree(dir))
    .filter((k) => /(^|\/)CloudTrail\//.test(k) && k.endsWith('.json.gz'))
    .map((key) => ({
      key,
      body: JSON.parse(gunzipSync(readFileSync(join(dir, key))).toString('utf8')) as {
        Records: Record<string, unknown>[];
      },
    }));
}
