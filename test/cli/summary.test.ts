import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';
import { listFiles, scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('summary');

describe("generate's summary", () => {
  it('says up front when a run writes more files than records, and how many are digests', async () => {
    const out = join(work, 'sparse');
    // 20 records over two days in two Regions: 96 hourly digests, a file or so per record.
    const sparse = ['generate', '--events', '20', '--accounts', '1', '--regions', 'us-east-1,eu-west-1'];
    sparse.push('--start', '2026-11-01T00:00:00Z', '--end', '2026-11-03T00:00:00Z', '--out', out);
    const r = await runCli([...sparse, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const files = listFiles(out);
    const digests = files.filter((f) => f.includes('/CloudTrail-Digest/')).length;
    const logs = files.filter((f) => f.includes('/CloudTrail/')).length;
    expect(digests).toBeGreaterThan(2 * 47);
    const lines = r.stdout.split('\n');
    // The second line, before the counters; the total is every file of the run but its manifest.
    const total = files.filter((f) => f !== 'trailsim-manifest.json').length;
    const share = Math.round((100 * digests) / total);
    expect(lines[1]).toBe(
      `  note      ${total} files for 20 records: ${digests} digests (${share}%), one per account, ` +
        `Region and hour even when no call was made, ${logs} log files, ${total - digests - logs} other ` +
        '(see "Many files for few events" in docs/digests-and-validate.md)',
    );
    const json = await runCli([...sparse, '--force', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ files: logs, digests, records: 20 });
    expect(readFileSync(join(ROOT, 'docs', 'digests-and-validate.md'), 'utf8')).toMatch(
      /^#+ Many files for few events$/m,
    );
  });

  it('has no such note when records outnumber files', async () => {
    const r = await runCli([
      'generate',
      '--events',
      '400',
      '--regions',
      'us-east-1',
      '--out',
      join(work, 'dense'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/note/);
  });
});
