import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree, runCli } from './cli.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('force');

const manifestKeys = (out: string) =>
  (
    JSON.parse(readFileSync(join(out, 'trailsim-manifest.json'), 'utf8')) as { files: { key: string }[] }
  ).files.map((f) => f.key);

describe('--force', () => {
  it('replaces what an earlier trailsim run wrote, and nothing else', async () => {
    const out = join(work, 'out');
    const base = ['generate', '--events', '150', '--regions', 'eu-west-1', '--out', out, '--quiet'];
    expect((await runCli([...base, '--seed', '1'])).code).toBe(0);
    const first = manifestKeys(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'AWSLogs', 'README'), 'also mine');

    const r = await runCli([...base, '--seed', '2', '--force']);
    expect(r.code, r.stderr).toBe(0);
    const second = manifestKeys(out);
    const tree = Object.keys(hashTree(out)).sort();
    expect(tree).toEqual([...second, 'AWSLogs/README', 'notes.txt', 'trailsim-manifest.json'].sort());
    for (const key of first) if (!second.includes(key)) expect(tree).not.toContain(key);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
