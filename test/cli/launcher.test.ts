import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, scratchFolder } from '../helpers/tree.js';

const dir = scratchFolder('launcher');
// Loaded with --require before the command: at exit it writes down the pool size the process ran
// with and how many threads it had (Linux lists them in /proc/self/task).
const probe = join(dir, 'probe.cjs');
writeFileSync(
  probe,
  `const fs = require('node:fs');
process.on('exit', () => {
  const threads = fs.existsSync('/proc/self/task') ? fs.readdirSync('/proc/self/task').length : null;
  fs.writeFileSync(process.env.PROBE_OUT, JSON.stringify({ pool: process.env.UV_THREADPOOL_SIZE ?? null, threads }));
});
`,
);

interface Probed {
  pool: string | null;
  threads: number | null;
}

let runs = 0;

/** Runs `script --version` with the probe; `pool` is UV_THREADPOOL_SIZE as the user set it ('' for unset). */
function probed(script: string, pool: string): Probed {
  const out = join(dir, `probe-${runs++}.json`);
  const r = spawnSync(process.execPath, ['--require', probe, script, '--version'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: pool, PROBE_OUT: out },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  return JSON.parse(readFileSync(out, 'utf8')) as Probed;
}

const cores = String(Math.max(2, availableParallelism()));
const bundle = join(ROOT, 'dist', 'bin', 'cli.js');

describe('the trailsim launcher', () => {
  it('gives the thread pool one thread per core, at least two, when the user has not set it', () => {
    expect(probed(CLI, '').pool).toBe(cores);
  });

  it('keeps a pool size the user has set', () => {
    expect(probed(CLI, '3').pool).toBe('3');
  });

  it('gives its rule, and runs nothing, when required (as the bench does)', () => {
    const launcher = createRequire(import.meta.url)(CLI) as Record<string, unknown> & {
      threadPoolSize(env: NodeJS.ProcessEnv): string;
    };
    expect(Object.keys(launcher)).toEqual(['threadPoolSize']);
    expect(launcher.threadPoolSize({})).toBe(cores);
    expect(launcher.threadPoolSize({ UV_THREADPOOL_SIZE: '5' })).toBe('5');
  });

  it('sets the size before the pool starts', (ctx) => {
    if (!existsSync('/proc/self/task')) {
      console.log('skipped: counting threads needs /proc/self/task (Linux)');
      ctx.skip();
    }
    // The bundle run directly, with the size given from outside, is the reference: the launcher's
    // process has as many threads as that one, and two more threads in the pool show as two more.
    const launched = probed(CLI, '').threads!;
    const reference = probed(bundle, cores).threads!;
    const bigger = probed(bundle, String(Number(cores) + 2)).threads!;
    expect(bigger - reference).toBe(2);
    expect(launched).toBe(reference);
  });
});
