import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/shared/schema-validator.js';
import { runCli } from '../helpers/s3-servers.js';
import { CLI } from '../helpers/tree.js';

/** Runs a bash pipeline from the repository root; resolves with its exit status and output. */
function sh(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('generate --out -', () => {
  it('| head -n 5 prints five valid records and trailsim exits 0 without a trace', async () => {
    // A run far larger than a pipe buffer, so trailsim is still writing when head goes away.
    const r = await sh(
      `node ${CLI} generate --seed 5 --events 200000 --out - | head -n 5; ` +
        'echo "trailsim-exit=${PIPESTATUS[0]}" >&2',
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(validateRecord(JSON.parse(line))).toEqual([]);
    expect(r.stderr).toContain('trailsim-exit=0');
    expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  });

  it('survives its reader closing the pipe early (a child process reading 3 lines)', async () => {
    const child = spawn(process.execPath, [CLI, 'generate', '--events', '200000', '--out', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let seen = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.split('\n').length > 3) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('stream --out - | head -n 5 also ends at once, exit 0, when head goes away', async () => {
    const started = performance.now();
    const r = await sh(
      `node ${CLI} stream --rate 5000/s --duration 60s --out - --format eventbridge | head -n 5; ` +
        'echo "trailsim-exit=${PIPESTATUS[0]}" >&2',
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const e = JSON.parse(line) as { detail: unknown; source: string };
      expect(e.source).toBe('aws.devops-guru');
      expect(validateRecord(e.detail)).toEqual([]);
    }
    expect(r.stderr).toContain('trailsim-exit=0');
    expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
    // It stopped when the pipe closed, not at the end of its minute.
    expect(performance.now() - started).toBeLessThan(45_000);
  });

  it('is byte-deterministic, in either format', async () => {
    const args = ['generate', '--seed', '12', '--events', '3000', '--out', '-'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')).toHaveLength(3001);
    expect(createHash('sha256').update(a.stdout).digest('hex')).toBe(
      createHash('sha256').update(b.stdout).digest('hex'),
    );
    const eb1 = await runCli([...args, '--format', 'eventbridge']);
    const eb2 = await runCli([...args, '--format', 'eventbridge'], {
      TZ: 'Asia/Kolkata',
      LANG: 'de_DE.UTF-8',
    });
    expect(eb1.stdout).toBe(eb2.stdout);
    expect(JSON.parse(eb1.stdout.split('\n')[0]!)).toMatchObject({
      'detail-type': 'AWS API Call via CloudTrail',
    });
  });

  it('rejects --format eventbridge for files, in one line', async () => {
    const r = await runCli([
      'generate',
      '--events',
      '10',
      '--out',
      '/tmp/never-written',
      '--format',
      'eventbridge',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trailsim: --format: eventbridge is for --out - (files are always CloudTrail log files)\n',
    );
  });
});

describe('generate --out - --format eventbridge --eventbridge-rule ENABLED', () => {
  it('leaves out read-only calls, as EventBridge does for a rule that did not opt in to them', async () => {
    const args = ['generate', '--seed', '9', '--events', '400', '--out', '-', '--format', 'eventbridge'];
    const all = await runCli(args);
    const enabled = await runCli([...args, '--eventbridge-rule', 'ENABLED']);
    expect(enabled.code, enabled.stderr).toBe(0);
    type Event = { detail: { readOnly: boolean } };
    const parse = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Event);
    const writes = parse(enabled.stdout);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes).toEqual(parse(all.stdout).filter((e) => !e.detail.readOnly));
  });
});
