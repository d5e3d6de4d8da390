import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('stream-scenario');

describe('stream --scenario', () => {
  it('takes the rate and the output folder the scenario file sets', async () => {
    const file = join(work, 'load.yaml');
    writeFileSync(
      file,
      ['seed: 5', 'rate: 40', 'accounts: 1', 'regions: [us-east-1]', 'output:', '  out: streamed', ''].join(
        '\n',
      ),
    );
    const r = await runCli(['stream', '--scenario', file, '--duration', '2s', '--interval', '1s'], {
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(0);
    const manifest = join(work, 'streamed', 'trailsim-manifest.json');
    expect(existsSync(manifest)).toBe(true);
    const info = JSON.parse(readFileSync(manifest, 'utf8')) as { stream: { rate: number }; seed: number };
    expect(info.stream.rate).toBe(40);
    expect(info.seed).toBe(5);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('without a rate anywhere, says where to give one', async () => {
    const r = await runCli(['stream', '--out', join(work, 'none'), '--duration', '1s'], { cwd: work });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^trailsim: --rate: is needed: give --rate \(2000\/s, 500\/m, 10000\/h\) or rate in the scenario file\n$/,
    );
  });

  it('shows no default for --out and --force: a scenario file may set them', async () => {
    const r = await runCli(['stream', '--help']);
    // An option's entry, its wrapped lines included.
    const line = (flag: string) =>
      r.stdout.split(/\n(?=\s+-)/).find((l) => l.trimStart().startsWith(flag)) ?? '';
    expect(line('--out')).toMatch(/Output folder/);
    expect(line('--out')).not.toMatch(/\[default:/);
    expect(line('--force')).not.toMatch(/\[default:/);
  });
});
