import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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

  describe('never writes or deletes outside --out, whatever the manifest says', () => {
    const base = ['generate', '--events', '60', '--regions', 'eu-west-1', '--quiet'];

    /** A finished run in `<name>/out`, and a file beside it that a --force must not touch. */
    async function runWithVictim(name: string): Promise<{ out: string; victim: string }> {
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      const out = join(dir, 'out');
      const victim = join(dir, 'victim.txt');
      writeFileSync(victim, 'keep me');
      const r = await runCli([...base, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      return { out, victim };
    }

    function addManifestKey(out: string, key: string): void {
      const path = join(out, 'trailsim-manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: { key: string }[] };
      manifest.files.push({ key });
      writeFileSync(path, JSON.stringify(manifest));
    }

    for (const [label, key] of [
      ['a ".." key', '../victim.txt'],
      ['a ".." key in the middle', 'AWSLogs/../../victim.txt'],
      ['an absolute key', '/victim.txt'],
    ] as const) {
      it(`stops at ${label} in the manifest, one line, exit 2, nothing changed`, async () => {
        const { out, victim } = await runWithVictim(`manifest-${label.replace(/\W+/g, '-')}`);
        const keyText = key === '/victim.txt' ? victim : key;
        addManifestKey(out, keyText);
        const before = hashTree(out);
        const r = await runCli([...base, '--seed', '2', '--out', out, '--force']);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          /^trailsim: .*trailsim-manifest\.json: \/files\/\d+\/key: ".*" (has a "\.\." segment|is absolute).*\n$/,
        );
        expect(readFileSync(victim, 'utf8')).toBe('keep me');
        expect(hashTree(out)).toEqual(before);
      });
    }

    it('stops at a symbolic link inside --out that leads outside', async () => {
      const { out, victim } = await runWithVictim('symlink');
      const outside = join(work, 'symlink', 'elsewhere');
      mkdirSync(outside);
      symlinkSync(outside, join(out, 'AWSLogs', 'linked'));
      const r = await runCli([...base, '--seed', '2', '--out', out, '--force']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/linked: is a symbolic link inside --out/);
      expect(readFileSync(victim, 'utf8')).toBe('keep me');
      expect(hashTree(outside)).toEqual({});
    });

    for (const prefix of ['../../escape', '/abs/p', 'a/./b', 'a//b']) {
      it(`refuses --key-prefix ${prefix}: one line, exit 2, nothing written`, async () => {
        const dir = join(work, `prefix-${prefix.replace(/\W+/g, '-')}`);
        mkdirSync(dir, { recursive: true });
        const out = join(dir, 'a', 'out');
        const r = await runCli([...base, '--out', out, '--key-prefix', prefix]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^trailsim: --key-prefix: ".*" is not a usable key prefix: it .*\n$/);
        expect(existsSync(join(dir, 'a'))).toBe(false);
        expect(existsSync(join(dir, 'escape'))).toBe(false);
      });
    }

    it('accepts a nested prefix with a trailing slash, and --force replaces that run in place', async () => {
      const out = join(work, 'prefix-ok', 'out');
      const first = await runCli([...base, '--out', out, '--key-prefix', 'team/a/']);
      expect(first.code, first.stderr).toBe(0);
      const logKeys = manifestKeys(out).filter((k) => k.includes('AWSLogs/'));
      expect(logKeys.length).toBeGreaterThan(0);
      expect(logKeys.filter((k) => !k.startsWith('team/a/AWSLogs/'))).toEqual([]);
      const again = await runCli([...base, '--seed', '2', '--out', out, '--key-prefix', 'team/a', '--force']);
      expect(again.code, again.stderr).toBe(0);
      const tree = Object.keys(hashTree(out)).sort();
      expect(tree).toEqual([...manifestKeys(out), 'trailsim-manifest.json'].sort());
    });
  });
});
