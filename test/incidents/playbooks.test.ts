import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../../src/incidents/playbooks.js';
import { defaultTemplateDir, loadTemplates } from '../../src/render/template.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('playbooks');
const templates = loadTemplates([defaultTemplateDir()]);
const builtIn = loadPlaybooks([defaultTemplateDir()], templates);
const REQUESTS = join(import.meta.dirname, '../../schemas/devops-guru/requests');

describe('the built-in playbooks', () => {
  it('are six, each with ATT&CK IDs unless an accident, and a detection', () => {
    expect(builtIn.map((p) => p.name)).toEqual([
      'channel-to-foreign-topic',
      'insider-silences-notifications',
      'leaked-access-key',
      'new-role-missing-permissions',
      'root-console',
      'runaway-automation',
    ]);
    for (const p of builtIn) {
      expect(p.techniques.length > 0, p.name).toBe(p.malicious !== false);
      expect(
        readFileSync(join(import.meta.dirname, `../../examples/detections/${p.name}.sql`), 'utf8'),
      ).toMatch(/eventids/);
    }
  });

  it('send requests the API model accepts', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    let checked = 0;
    for (const p of builtIn)
      for (const s of p.steps) {
        if (!s.request) continue;
        const text = JSON.stringify(s.request)
          .replaceAll('{region}', 'us-east-1')
          .replaceAll('{foreignAccount}', '123456789012')
          .replaceAll('{accountId}', '111122223333');
        for (const op of s.operations) {
          const validate = ajv.compile(
            JSON.parse(readFileSync(join(REQUESTS, `${op}.schema.json`), 'utf8')) as object,
          );
          expect(validate(JSON.parse(text)), `${p.name} ${op}: ${JSON.stringify(validate.errors)}`).toBe(
            true,
          );
          checked++;
        }
      }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});

describe('a bad playbook', () => {
  const base = JSON.parse(
    readFileSync(join(defaultTemplateDir(), 'devops-guru/playbooks/root-console.playbook.json'), 'utf8'),
  ) as Record<string, unknown> & {
    steps: Record<string, unknown>[];
    actors: Record<string, Record<string, unknown>>;
  };
  const cases: [string, (p: typeof base) => void, RegExp][] = [
    ['an unknown key', (p) => (p.steps[0]!.colour = 'red'), /: \/steps\/0\/colour: unknown key "colour"$/],
    [
      'an actor no one plays',
      (p) => (p.steps[0]!.actor = 'ghost'),
      /: \/steps\/0\/actor: "ghost" is not one of the actors \(root\)$/,
    ],
    [
      'an unknown operation',
      (p) => (p.steps[0]!.operations = ['ListWidgets']),
      /: \/steps\/0\/operations\/0: no template for an operation "ListWidgets"$/,
    ],
    [
      'a change the operation does not make',
      (p) => (p.steps[1]!.change = 'insight.delete'),
      /: \/steps\/1\/change: UpdateServiceIntegration does not carry out "insight.delete"$/,
    ],
    [
      'a range upside down',
      (p) => (p.steps[1]!.after = [90, 10]),
      /: \/steps\/1\/after: min 90 is above max 10$/,
    ],
    ['a bad technique ID', (p) => (p.techniques = ['T99']), /: \/techniques\/0: must match pattern/],
  ];
  for (const [name, edit, message] of cases)
    it(`${name}: one line naming the file and the JSON path`, () => {
      const dir = join(work, name.replace(/\W+/g, '-'));
      mkdirSync(dir, { recursive: true });
      const p = structuredClone(base);
      edit(p);
      writeFileSync(join(dir, 'x.playbook.json'), JSON.stringify(p));
      expect(() => loadPlaybooks([dir], templates)).toThrow(message);
      try {
        loadPlaybooks([dir], templates);
      } catch (err) {
        expect((err as Error).message).toContain(join(dir, 'x.playbook.json'));
        expect((err as Error).message.split('\n')).toHaveLength(1);
      }
    });
});
