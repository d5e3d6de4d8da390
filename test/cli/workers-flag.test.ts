import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLI as cli, scratchFolder } from '../helpers/tree.js';

const tmp = scratchFolder('workers');

function trailsim(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

/** Every file under a folder with its SHA-256, by relative path. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(root, name);
    if (name.endsWith('.gz') || name.endsWith('.json'))
      out[name] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

describe('trailsim generate --workers', () => {
  it('writes the same folder with 2 workers as on the main thread alone', () => {
    const args = ['generate', '--seed', '9', '--events', '1500', '--regions', 'us-east-1,eu-west-1'];
    expect(trailsim(...args, '--workers', '0', '--out', join(tmp, 'w0')).status).toBe(0);
    expect(trailsim(...args, '--workers', '2', '--out', join(tmp, 'w2')).status).toBe(0);
    const w0 = tree(join(tmp, 'w0'));
    expect(Object.keys(w0).length).toBeGreaterThan(50);
    expect(tree(join(tmp, 'w2'))).toEqual(w0);
  });

  it.each([['-1'], ['1.5'], ['100000']])('rejects --workers %s in one line, writing nothing', (n) => {
    const out = join(tmp, `bad${n}`);
    const r = trailsim('generate', '--events', '10', '--workers', n, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--workers');
    expect(existsSync(out)).toBe(false);
  });
});
