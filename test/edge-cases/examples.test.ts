import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EdgeCaseReport } from '../../src/edge-cases/label.js';
import { hashTree, runCli } from '../cli/cli.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('edge-case-examples');
const reportOf = (dir: string): EdgeCaseReport =>
  (JSON.parse(readFileSync(join(dir, 'trailsim-manifest.json'), 'utf8')) as { edgeCases: EdgeCaseReport })
    .edgeCases;

describe('examples/edge-cases', () => {
  it('realistic.yaml: every quirk injected, same bytes with any worker count, and validate accepts it', async () => {
    const a = join(work, 'realistic-0');
    const b = join(work, 'realistic-2');
    const args = ['generate', '--scenario', 'examples/edge-cases/realistic.yaml', '--quiet'];
    const [ra, rb] = await Promise.all([
      runCli([...args, '--out', a, '--workers', '0']),
      runCli([...args, '--out', b, '--workers', '2']),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(hashTree(a)).toEqual(hashTree(b));
    const report = reportOf(a);
    expect(report.injected).toEqual(report.requested);
    expect(Object.keys(report.injected)).toHaveLength(6);
    const check = await runCli(['validate', a]);
    expect(check.code, check.stdout).toBe(0);
    for (const l of report.labels) expect(check.stdout).toContain(`info: ${l.key}: labelled ${l.kind} (`);
  });

  it('hostile.yaml: validate reports each broken object with its key and exits 1', async () => {
    const out = join(work, 'hostile');
    const r = await runCli([
      'generate',
      '--scenario',
      'examples/edge-cases/hostile.yaml',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = reportOf(out);
    expect(report.injected).toEqual(report.requested);
    expect(report.labels).toHaveLength(10);
    const check = await runCli(['validate', out, '--quiet']);
    expect(check.code).toBe(1);
    const problems = check.stdout.trim().split('\n').slice(0, -1);
    expect(problems).toHaveLength(10);
    for (const l of report.labels)
      expect(
        problems.filter((p) => p.startsWith(`${l.key}: labelled ${l.kind} (reject-and-continue): `)),
      ).toHaveLength(1);
    expect(check.stdout).toMatch(/^INVALID: .*: 10 problems, 0 warnings, \d+ notes on labelled edge cases$/m);
  });
});

describe('--edge-cases: bad profile input', () => {
  const cases: [string, string, RegExp][] = [
    ['an unknown case', 'cases:\n  late-fil: { count: 1 }\n', /: \/cases\/late-fil: unknown key "late-fil"$/],
    [
      'a negative count',
      'cases:\n  late-file: { count: -1 }\n',
      /: \/cases\/late-file\/count: must be >= 0$/,
    ],
    ['a rate over 1', 'cases:\n  zero-byte: { rate: 1.5 }\n', /: \/cases\/zero-byte\/rate: must be <= 1$/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: one line naming the field, exit 2, nothing written`, async () => {
      const profile = join(work, `${name.replaceAll(' ', '-')}.yaml`);
      writeFileSync(profile, text);
      const out = join(work, `bad-${name.replaceAll(' ', '-')}`);
      const r = await runCli(['generate', '--events', '50', '--edge-cases', profile, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).toContain('--edge-cases');
      expect(existsSync(out)).toBe(false);
    });
  }

  it('in a scenario file: the line and path of the field', async () => {
    const scenario = join(work, 'scenario.yaml');
    writeFileSync(scenario, 'events: 50\nedgeCases:\n  cases:\n    late-file: { count: -2 }\n');
    const out = join(work, 'bad-scenario');
    const r = await runCli(['generate', '--scenario', scenario, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /scenario\.yaml:4: \/edgeCases\/cases\/late-file\/count: must be >= 0 \(got -2\)$/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
