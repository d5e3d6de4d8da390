import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// The package's entry point (package.json "exports"), and nothing else: what a project gets.
import * as trailsim from '../../src/index.js';
import { generateLogFiles, records, renderRecord, UsageError } from '../../src/index.js';
import { ROOT } from '../helpers/tree.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const librarySection = readme.slice(
  readme.indexOf('## As a library'),
  readme.indexOf('\n## ', readme.indexOf('## As a library') + 5),
);

describe('the library', () => {
  it('rejects an unknown option key with a UsageError naming it and the likely intended key', () => {
    const bad = (f: () => unknown): UsageError => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return err as UsageError;
      }
      throw new Error('accepted');
    };
    expect(bad(() => generateLogFiles({ evnts: 3 } as never)).message).toBe(
      'evnts: unknown option (did you mean events?)',
    );
    expect(bad(() => generateLogFiles({ trail: { nmae: 'x' } } as never)).message).toMatch(
      /^trail\.nmae: unknown option \(did you mean trail\.name\?\)$/,
    );
    expect(bad(() => records({ output: { out: 'x' } } as never)).message).toMatch(/^output: unknown option/);
    expect(bad(() => renderRecord('ListInsights', { sed: 3 } as never)).message).toMatch(
      /^sed: unknown option \(did you mean seed\?\)$/,
    );
  });

  it('records() yields the parsed records of the run, the same ones as its log files hold', async () => {
    const options = { seed: 7, events: 120, regions: ['us-east-1', 'eu-west-1'], accounts: 2 };
    const fromFiles = [...generateLogFiles(options)].flatMap(
      (f) => (JSON.parse(gunzipSync(f.body).toString('utf8')) as { Records: { eventID: string }[] }).Records,
    );
    const got: { eventID: string; eventTime: string; eventSource: string }[] = [];
    for await (const r of records(options)) got.push(r);
    expect(got).toHaveLength(120);
    expect(new Set(got.map((r) => r.eventID))).toEqual(new Set(fromFiles.map((r) => r.eventID)));
    expect(got.map((r) => JSON.stringify(r)).sort()).toEqual(fromFiles.map((r) => JSON.stringify(r)).sort());
    // In event-time order.
    const times = got.map((r) => Date.parse(r.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('records() refuses bad input before the first record', () => {
    expect(() => records({ events: -1 })).toThrow(UsageError);
  });

  it('exports what the README documents, and only that', () => {
    const documented = new Set(
      [...librarySection.matchAll(/`([A-Za-z_]+)(?:\([^)`]*\))?`/g)].map((m) => m[1]!),
    );
    const exported = Object.keys(trailsim);
    expect(exported.length).toBeGreaterThan(3);
    for (const name of exported)
      expect(documented, `${name} is exported but not in the README`).toContain(name);
    for (const name of ['generateLogFiles', 'records', 'renderRecord', 'UsageError'])
      expect(exported).toContain(name);
  });

  it('the README says how to add trailsim to another project', () => {
    expect(librarySection).toMatch(/npm install [^\n]*trailsim/);
  });
});
