import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashTree, runCli } from './cli.js';

const work = mkdtempSync(join(tmpdir(), 'trailsim-force-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

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
