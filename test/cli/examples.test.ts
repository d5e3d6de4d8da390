import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateLogFile } from '../../src/shared/schema-validator.js';
import { hashTree, readLogFiles, runCli } from './cli.js';
import { scratchFolder } from '../helpers/tree.js';

// Each example's tree must pass `trailsim validate` (layout, gzip, records, digests, signatures);
// the records are also held to the log-file schema here, file by file.
const work = scratchFolder('examples');

interface Manifest {
  seed: number;
  scenario: Record<string, unknown>;
  counts: { files: number; records: number; bytes: number };
  files: { key: string; bytes: number; sha256: string }[];
}

const manifestOf = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'trailsim-manifest.json'), 'utf8')) as Manifest;

describe.concurrent('the examples', () => {
  for (const [name, events] of [
    ['ci-fixture', 500],
    ['load-test', 50_000],
    ['demo-week', 20_000],
  ] as const) {
    it(`examples/${name}.yaml runs as it is and writes valid log files`, async () => {
      const out = join(work, name);
      const r = await runCli([
        'generate',
        '--scenario',
        `examples/${name}.yaml`,
        '--out',
        out,
        '--json',
        '--quiet',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout) as { records: number; files: number; bytes: number };
      const files = readLogFiles(out);
      const records = files.reduce((n, f) => n + f.body.Records.length, 0);
      expect(records).toBe(events);
      expect(summary.records).toBe(events);
      expect(summary.files).toBe(files.length);
      for (const f of files) expect(validateLogFile(f.body), f.key).toEqual([]);
      const check = await runCli(['validate', out, '--quiet']);
      expect(check.code, check.stdout).toBe(0);
      expect(check.stdout).toMatch(
        new RegExp(`^valid: ${files.length} log files \\(${events} records\\), [1-9]\\d* digests`, 'm'),
      );
      const m = manifestOf(out);
      expect(m.counts).toMatchObject({ files: files.length, records: events, bytes: summary.bytes });
      expect(m.files.filter((f) => /\/CloudTrail\/.*\.json\.gz$/.test(f.key)).length).toBe(files.length);
    });
  }
});

describe('a scenario file', () => {
  it('gives the same bytes as the equivalent flags', async () => {
    const fromFile = join(work, 'file');
    const fromFlags = join(work, 'flags');
    const a = await runCli(['generate', '--scenario', 'examples/ci-fixture.yaml', '--out', fromFile]);
    const b = await runCli([
      'generate',
      ...['--seed', '7', '--start', '2026-11-02T00:00:00Z', '--end', '2026-11-03T00:00:00Z'],
      ...[
        '--events',
        '500',
        '--accounts',
        '2',
        '--regions',
        'us-east-1,eu-west-1',
        '--event-version',
        '1.08',
      ],
      ...['--error-rate', '0.05', '--trail-name', 'ci-trail', '--bucket', 'ci-cloudtrail-fixtures'],
      ...['--key-prefix', 'fixtures', '--out', fromFlags],
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const tree = hashTree(fromFile);
    expect(Object.keys(tree).length).toBeGreaterThan(10);
    expect(Object.keys(tree).some((k) => k.startsWith('fixtures/AWSLogs/'))).toBe(true);
    expect(hashTree(fromFlags)).toEqual(tree);
  });

  it('is overridden by the flags a user gives, and only by those', async () => {
    const out = join(work, 'override');
    const r = await runCli([
      'generate',
      '--scenario',
      'examples/ci-fixture.yaml',
      '--events',
      '40',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const s = manifestOf(out).scenario;
    // events from the flag; seed, trail and digests (a flag with no value given) from the file.
    expect(s).toMatchObject({
      events: 40,
      seed: 7,
      digests: true,
      trail: { name: 'ci-trail', prefix: 'fixtures' },
    });
    expect(readLogFiles(out).reduce((n, f) => n + f.body.Records.length, 0)).toBe(40);
  });

  it('takes a manifest back: the run reproduces, byte for byte', async () => {
    const first = join(work, 'first');
    const again = join(work, 'again');
    expect(
      (await runCli(['generate', '--seed', '3', '--events', '300', '--regions', 'eu-west-2', '--out', first]))
        .code,
    ).toBe(0);
    const r = await runCli(['generate', '--scenario', join(first, 'trailsim-manifest.json'), '--out', again]);
    expect(r.code).toBe(0);
    expect(hashTree(again)).toEqual(hashTree(first));
  });

  it('resolves its templates folder against its own folder, wherever trailsim runs', async () => {
    const out = join(work, 'demo-elsewhere');
    const folder = join(work, 'recipe');
    cpSync('examples/templates', join(folder, 'templates'), { recursive: true });
    const file = join(folder, 'demo.yaml');
    writeFileSync(file, readFileSync('examples/demo-week.yaml', 'utf8'));
    const r = await runCli(['generate', '--scenario', file, '--events', '2000', '--out', out, '--quiet'], {
      cwd: tmpdir(),
    });
    expect(r.stderr).toBe('');
    const sources = new Set(readLogFiles(out).flatMap((f) => f.body.Records.map((x) => x.eventSource)));
    expect([...sources].sort()).toEqual([
      'cloudformation.amazonaws.com',
      'devops-guru.amazonaws.com',
      'sns.amazonaws.com',
    ]);
  });

  it('written by trailsim init runs as it is, its output beside it', async () => {
    const folder = join(work, 'init');
    mkdirSync(folder);
    const init = await runCli(['init', join(folder, 'scenario.yaml')], { cwd: work });
    expect(init.code).toBe(0);
    const r = await runCli(
      ['generate', '--scenario', join(folder, 'scenario.yaml'), '--events', '300', '--quiet'],
      {
        cwd: work,
      },
    );
    expect(r.stderr).toBe('');
    // output.out is `out`, relative to the file's folder, not to the working folder.
    expect(r.stdout).toContain(`output    ${join(folder, 'out')}`);
    const files = readLogFiles(join(folder, 'out'));
    expect(files.reduce((n, f) => n + f.body.Records.length, 0)).toBe(300);
    expect(new Set(files.flatMap((f) => f.body.Records.map((x) => x.awsRegion)))).toEqual(
      new Set(['us-east-1', 'eu-west-1']),
    );
  });
});
