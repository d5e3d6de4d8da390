import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/shared/schema-validator.js';
import { CLI, ROOT } from '../helpers/tree.js';
import { renderRecord } from '../../src/library.js';

const model = JSON.parse(readFileSync(resolve(ROOT, 'schemas/devops-guru/service-2.json'), 'utf8')) as {
  operations: Record<string, { errors?: { shape: string }[] }>;
};
const operations = Object.keys(model.operations).sort();
const run = promisify(execFile);

describe('trailsim sample', () => {
  it('prints one valid, pretty record of every operation', async () => {
    expect(operations).toHaveLength(31);
    const outputs: { op: string; stdout: string }[] = [];
    // A few at a time: each run draws the world, which takes a moment.
    for (let i = 0; i < operations.length; i += 4) {
      const batch = operations.slice(i, i + 4);
      outputs.push(
        ...(await Promise.all(
          batch.map(async (op) => ({
            op,
            stdout: (await run('node', [CLI, 'sample', '--operation', op])).stdout,
          })),
        )),
      );
    }
    for (const { op, stdout } of outputs) {
      const record = JSON.parse(stdout) as Record<string, unknown>;
      expect(validateRecord(record), op).toEqual([]);
      expect(record.eventName).toBe(op);
      expect(record.eventSource).toBe('devops-guru.amazonaws.com');
      // Pretty: two-space indentation, one field per line.
      expect(stdout).toBe(`${JSON.stringify(record, null, 2)}\n`);
      // A sample fails as often as the default error rate makes calls fail; when it does, with an
      // error the model lists for the operation.
      if (record.errorCode !== undefined)
        expect((model.operations[op]?.errors ?? []).map((e) => e.shape)).toContain(record.errorCode);
    }
  }, 120_000);

  it("prints the failure asked for, in the service's words", async () => {
    const { stdout } = await run('node', [
      CLI,
      'sample',
      '--operation',
      'DescribeInsight',
      '--error',
      'AccessDeniedException',
    ]);
    const record = JSON.parse(stdout) as {
      errorCode: string;
      errorMessage: string;
      userIdentity: { arn: string };
    };
    expect(validateRecord(record)).toEqual([]);
    expect(record.errorCode).toBe('AccessDeniedException');
    expect(record.errorMessage).toContain(
      `User: ${record.userIdentity.arn} is not authorized to perform: devops-guru:DescribeInsight`,
    );
  });
});

describe('sample --time and renderRecord: the time zone is the input, never the machine', () => {
  const inZone = (tz: string, args: string[]) =>
    spawnSync(process.execPath, [CLI, 'sample', '--operation', 'ListInsights', ...args], {
      encoding: 'utf8',
      env: { ...process.env, TZ: tz },
    });

  it('refuses a time without a zone, as generate and renderRecord do, whatever TZ is', () => {
    for (const tz of ['America/New_York', 'UTC']) {
      const r = inZone(tz, ['--time', '2026-11-02T14:00:00']);
      expect(r.status, tz).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--time: "2026-11-02T14:00:00" has no time zone');
    }
    expect(() => renderRecord('ListInsights', { time: '2026-11-02T14:00:00' })).toThrow(
      'time: "2026-11-02T14:00:00" has no time zone',
    );
  });

  it('reads a time with an offset the same in any zone', () => {
    const times = ['America/New_York', 'Asia/Kolkata', 'UTC'].map((tz) => {
      const r = inZone(tz, ['--time', '2026-11-02T14:00:00-05:00', '--seed', '3']);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    });
    expect((JSON.parse(times[0]!) as { eventTime: string }).eventTime).toBe('2026-11-02T19:00:00Z');
    expect(times[1]).toBe(times[0]);
    expect(times[2]).toBe(times[0]);
  });
});
