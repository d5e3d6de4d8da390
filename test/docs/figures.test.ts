import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCKS, blockIn, produceFigures } from '../../scripts/docs-figures.mjs';
import { ROOT } from '../helpers/tree.js';

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));

describe('README and guides', () => {
  it('show the figures a run of this trailsim produces (npm run docs:figures rewrites them)', async () => {
    const now = await produceFigures();
    for (const { file, name } of BLOCKS) {
      const committed = blockIn(read(file), name);
      expect(committed, `${file} has no figures:${name} block`).toBeDefined();
      expect(committed, `${file}: figures:${name} is stale; run npm run docs:figures`).toBe(now[file]![name]);
    }
  });

  it('README is for users: the two quick-start commands, about 300 lines, guides linked and present', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(340);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    const linked = [...readme.matchAll(/\]\((docs\/[\w.-]+\.md)(?:#[\w-]+)?\)/g)].map((m) => m[1]!);
    for (const guide of [
      'realism',
      'scenarios',
      'custom-templates',
      'digests-and-validate',
      'delivery',
      'speed',
      'edge-cases',
      'serve',
      'report',
    ])
      expect(linked).toContain(`docs/${guide}.md`);
    for (const file of linked) expect(existsSync(join(ROOT, file)), file).toBe(true);
    expect(readme).toMatch(/^## `trailsim serve`/m);
    expect(readme).toMatch(/^## `trailsim report`/m);
  });

  it('has no hand-off leftovers, no diary, and links that resolve', () => {
    expect(docs.filter((f) => f.startsWith('README-'))).toEqual([]);
    for (const file of ['README.md', ...docs.map((d) => `docs/${d}`)]) {
      const text = read(file);
      expect(text, file).not.toMatch(
        /this round|goals of issue|issue \d+|before the split|last round|we measured/i,
      );
      for (const m of text.matchAll(/\]\((?!https?:|#)([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = join(ROOT, file.startsWith('docs/') ? 'docs' : '', m[1]!);
        expect(existsSync(target), `${file} links ${m[1]}`).toBe(true);
      }
    }
  });
});
