import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleScenario } from '../../src/scenario/example-scenario.js';
import { combineInputs, loadScenarioFile } from '../../src/scenario/scenario-file.js';
import { resolveScenario } from '../../src/scenario/scenario.js';
import { schemaValidator } from '../../src/shared/schema-validator.js';
import { runInfo } from '../../src/cli/run-info.js';
import { requestFromFlags } from '../../src/cli/scenario-args.js';
import { writeExampleScenario } from '../../src/cli/commands/init.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('scenario');
let n = 0;
const write = (name: string, text: string): string => {
  const dir = join(work, String(n++));
  mkdirSync(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('a scenario file', () => {
  it('maps every key onto the scenario', () => {
    const f = write(
      'full.yaml',
      [
        'seed: 12',
        'start: 2026-11-03T08:00:00+01:00',
        'end: 2026-11-04',
        'events: 900',
        'rate: 25',
        'accounts: 4',
        'organizationTrail: true',
        'regions: [eu-west-1, us-east-1]',
        'eventVersion: "1.09"',
        'identityMix: { IAMUser: 1 }',
        'errorRate: 0.5',
        'operationWeights: { ListInsights: 0 }',
        'curve: { weekendFactor: 1, bursts: false }',
        'trail: { name: trail1, bucket: b-1, prefix: p/, homeRegion: eu-west-1 }',
        'digests: false',
        'templates: [mine]',
        'gzipLevel: 9',
        'output: { out: there, force: true }',
      ].join('\n'),
    );
    const loaded = loadScenarioFile(f);
    const s = resolveScenario(loaded.input, loaded.where);
    expect(s).toMatchObject({
      seed: 12,
      start: Date.parse('2026-11-03T07:00:00Z'),
      end: Date.parse('2026-11-04T00:00:00Z'),
      events: 900,
      rate: 25,
      accounts: 4,
      organizationTrail: true,
      regions: ['us-east-1', 'eu-west-1'],
      eventVersion: '1.09',
      identityMix: { AssumedRole: 0, IAMUser: 1, FederatedUser: 0, Root: 0, AWSService: 0 },
      errorRate: 0.5,
      operationWeights: { ListInsights: 0 },
      curve: { dailyAmplitude: 0.9, weekendFactor: 1, automationShare: 0.3, bursts: false },
      trail: { name: 'trail1', bucket: 'b-1', prefix: 'p', homeRegion: 'eu-west-1' },
      digests: false,
      templates: [join(f, '..', 'mine')],
      gzipLevel: 9,
    });
    // Relative to the file's folder, not the working folder.
    expect(loaded.output).toEqual({ out: join(f, '..', 'there'), force: true });
  });

  it('is overridden key by key by flags, nested objects merged', () => {
    expect(
      combineInputs(
        { seed: 1, events: 5, trail: { name: 'a', bucket: 'b-b-b' } },
        { events: 9, trail: { bucket: 'c-c-c' } },
      ),
    ).toEqual({ seed: 1, events: 9, trail: { name: 'a', bucket: 'c-c-c' } });
  });

  it('keeps values of the file that a flag with a default would have hidden', async () => {
    const f = write('s.yaml', 'digests: false\noutput: { out: here, force: true }\n');
    const r = await requestFromFlags({ scenario: f });
    expect(r.scenario.digests).toBe(false);
    expect(r).toMatchObject({ out: join(f, '..', 'here'), force: true });
    const overridden = await requestFromFlags({ scenario: f, digests: true, out: 'elsewhere', force: false });
    expect(overridden).toMatchObject({ out: 'elsewhere', force: false, scenario: { digests: true } });
  });

  it('names the line of a YAML syntax error', () => {
    const f = write('bad.yaml', 'seed: 1\ntrail:\n  name: x\n   bucket: y\n');
    expect(() => loadScenarioFile(f)).toThrow(new RegExp(`^${f}:3:9: not valid YAML: Nested mappings`));
  });

  it('names the file, line and JSON path of a schema error, with the value given', () => {
    const f = write('bad.json', '{\n  "seed": 1,\n  "curve": {\n    "bursts": "yes"\n  }\n}\n');
    expect(() => loadScenarioFile(f)).toThrow(`${f}:4: /curve/bursts: must be boolean (got "yes")`);
  });

  it('names the entry of a list that fails a semantic check', () => {
    const f = write('r.yaml', 'regions:\n  - eu-west-1\n  - eu-west-1\n  - mars-1\n');
    const loaded = loadScenarioFile(f);
    expect(() => resolveScenario(loaded.input, loaded.where)).toThrow(
      new RegExp(`^${f}:4: /regions/2: "mars-1" is not a Region where the service runs`),
    );
  });

  it('reads the scenario of a manifest', () => {
    const s = resolveScenario({ seed: 4, events: 10, regions: 'eu-north-1', rate: 3 });
    const f = write('trailsim-manifest.json', JSON.stringify({ ...runInfo(s), files: [] }));
    const loaded = loadScenarioFile(f);
    expect(resolveScenario(loaded.input, loaded.where)).toEqual(s);
    // Paths in a manifest point inside its `scenario` key.
    expect(loaded.where('events')).toBe(`${f}:1: /scenario/events`);
  });

  it('validates the resolved scenario every manifest records', () => {
    const s = resolveScenario({ seed: 4, templates: ['/abs/t'], identityMix: 'Root=1' });
    expect(schemaValidator('scenario')(runInfo(s).scenario)).toEqual([]);
  });
});

describe('trailsim init', () => {
  it('writes an example that the schema and the checks accept, with every top-level key', () => {
    const data = parse(exampleScenario('./schema.json')) as Record<string, unknown>;
    expect(schemaValidator('scenario')(data)).toEqual([]);
    const f = join(work, 'init.yaml');
    writeExampleScenario(f, false);
    const loaded = loadScenarioFile(f);
    expect(resolveScenario(loaded.input, loaded.where).regions).toEqual(['us-east-1', 'eu-west-1']);
    // Every key of the schema but rate, which only trailsim stream reads (a comment mentions it).
    const schema = JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const keys = Object.keys(schema.properties).filter((k) => !k.startsWith('$') && k !== 'rate');
    expect(Object.keys(data).sort()).toEqual(keys.sort());
    expect(exampleScenario('./schema.json')).toMatch(/^# rate: /m);
  });

  it('refuses to replace a file without force, and replaces it with force', () => {
    const f = write('s.yaml', 'seed: 3\n');
    expect(() => writeExampleScenario(f, false)).toThrow(/already exists; pass --force/);
    writeExampleScenario(f, true);
    expect(loadScenarioFile(f).input.seed).toBe(1);
  });
});
