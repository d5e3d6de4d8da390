import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The engine knows no service: DevOps Guru lives in templates/devops-guru/ (its operations and its
 * service.json), not in src/. This test greps src/ as the issue does,
 * `grep -rn "devops-guru\|DevOps Guru\|Insight\|NotificationChannel" src/`, and fails on a line
 * of code that matches, unless an entry below allows it with its reason. Comments may name the
 * service where they explain the design or give an example.
 */
const SRC = resolve(import.meta.dirname, '../../src');
const PATTERN = /devops-guru|DevOps Guru|Insight|NotificationChannel/;

/** Files not searched, and why. */
const SKIPPED: Record<string, string> = {
  'generated/': 'generated from schemas/ (their descriptions give examples); a drift test holds them to it',
};

/** Code lines that may match, by file and text, and why. */
const ALLOWED: { file: string; text: RegExp; why: string }[] = [
  { file: 'serve/trail-facts.ts', text: /HasInsightSelectors/, why: "CloudTrail's own API vocabulary" },
  { file: 'validate/tree-key.ts', text: /-Insight\|/, why: "CloudTrail's folder of Insights events" },
  {
    file: 'scenario/example-scenario.ts',
    text: /^\s+\w+: \d+$/,
    why: 'the example scenario file shows operation weights, which name operations of the default service',
  },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** A line that is (part of) a comment: `//`, `/*`, or a doc comment's `*`. */
const isComment = (line: string): boolean => /^\s*(\/\/|\/\*|\*)/.test(line) || /\s\/\/\s/.test(line);

describe('the engine in src/', () => {
  it('names no service outside comments, but for the allowed lines', () => {
    const found: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file).split('\\').join('/');
      if (Object.keys(SKIPPED).some((s) => rel.startsWith(s))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!PATTERN.test(line) || isComment(line)) return;
          if (ALLOWED.some((a) => rel.startsWith(a.file) && a.text.test(line))) return;
          found.push(`src/${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('would notice a line of code that names the service', () => {
    expect(PATTERN.test("const source = 'devops-guru.amazonaws.com';")).toBe(true);
    expect(isComment("const source = 'devops-guru.amazonaws.com';")).toBe(false);
    expect(isComment(' * DevOps Guru, as an example')).toBe(true);
  });
});
