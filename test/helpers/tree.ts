import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The built `trailsim` command (the bundle `npm run build` writes): the one path every test runs. */
export const CLI = join(ROOT, 'dist', 'bin', 'trailsim.cjs');

/** Runs the built CLI; the build runs before vitest in `npm test`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** Every file below `dir`, as paths relative to it with `/`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Path → SHA-256 of every file below `dir`. */
export function hashTree(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(dir))
    m.set(
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    );
  return m;
}

/** True when a gzip buffer holds exactly one member (what `aws cloudtrail validate-logs` reads). */
export function isSingleMemberGzip(buf: Buffer): boolean {
  if (buf[0] !== 0x1f || buf[1] !== 0x8b || buf[3] !== 0) return false;
  const { engine } = inflateRawSync(buf.subarray(10), { info: true }) as unknown as {
    engine: { bytesWritten: number };
  };
  return 10 + engine.bytesWritten + 8 === buf.length;
}

export interface LogFileRead {
  key: string;
  gz: Buffer;
  records: Record<string, unknown>[];
}

/** Log files (not digests) below `dir`, parsed. */
export function readLogFiles(dir: string): LogFileRead[] {
  return listFiles(dir)
    .filter((k) => /\/CloudTrail\/.*\.json\.gz$/.test(k))
    .map((key) => {
      const gz = readFileSync(join(dir, key));
      const body = JSON.parse(gunzipSync(gz).toString('utf8')) as { Records: Record<string, unknown>[] };
      return { key, gz, records: body.Records };
    });
}

/**
 * A new folder under the system's temporary folder for one test file, removed after its tests.
 * Call it at the top level of a test file (or of a `describe`).
 */
export function scratchFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `trailsim-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
