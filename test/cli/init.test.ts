import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeExampleScenario } from '../../src/cli/commands/init.js';
import { loadScenarioFile } from '../../src/scenario/scenario-file.js';
import { resolveScenario, type Scenario } from '../../src/scenario/scenario.js';
import { ROOT, scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('init');

/** Each top-level key of a YAML text with the comments that belong to it (the block above and inline). */
function keyComments(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let block: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') block = [];
    else if (line.startsWith('#')) block.push(line);
    else {
      const m = /^([A-Za-z]+):(.*)$/.exec(line);
      if (m)
        out.set(m[1]!, [...block, m[2]!.includes('#') ? m[2]!.slice(m[2]!.indexOf('#')) : ''].join('\n'));
      if (!/^\s/.test(line)) block = [];
    }
  }
  return out;
}

/** The package's `files`: what `npm pack` ships (package.json, README and LICENSE ship always). */
function shipped(path: string): boolean {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  return path === 'README.md' || pkg.files.some((f) => path === f || path.startsWith(`${f}/`));
}

describe('trailsim init', () => {
  it('marks every value that is not the default, and only those', () => {
    const f = join(work, 'defaults.yaml');
    writeExampleScenario(f, false);
    const text = readFileSync(f, 'utf8');
    const loaded = loadScenarioFile(f);
    const written = resolveScenario(loaded.input, loaded.where);
    const defaults = resolveScenario({});
    const comments = keyComments(text);
    expect(comments.size).toBeGreaterThan(10);
    for (const [key, comment] of comments) {
      if (key === 'output') continue; // not part of the scenario; checked below
      const isDefault =
        JSON.stringify(written[key as keyof Scenario]) === JSON.stringify(defaults[key as keyof Scenario]);
      expect(/\bexample\b/i.test(comment), `${key}: ${comment}`).toBe(!isDefault);
    }
    // Not the default either: the default output is out/ in the working folder, not beside the file.
    expect(comments.get('output')).toMatch(/\bexample\b/i);
  });

  it('links only files the package ships, and a $schema that resolves to the shipped schema', () => {
    const dir = join(work, 'nested', 'deeper');
    mkdirSync(dir, { recursive: true });
    const f = join(dir, 'scenario.yaml');
    writeExampleScenario(f, false);
    const text = readFileSync(f, 'utf8');
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(modeline).not.toBeNull();
    const schema = resolve(dirname(f), modeline![1]!);
    expect(existsSync(schema), schema).toBe(true);
    expect(readFileSync(schema, 'utf8')).toBe(
      readFileSync(join(ROOT, 'schemas', 'scenario.schema.json'), 'utf8'),
    );
    const linked = [...text.matchAll(/\b((?:docs|schemas)\/[\w./-]+\.(?:md|json))\b/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    for (const path of linked) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(shipped(path), `${path} is not in package.json files`).toBe(true);
    }
    expect(text).not.toMatch(/https?:\/\//);
  });
});
