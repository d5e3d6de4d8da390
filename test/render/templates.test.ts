import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderRequestSchemaFiles, DEFAULT_OUT } from '../../scripts/gen-request-schemas.mjs';
import {
  compileTemplate,
  defaultTemplateDir,
  loadTemplates,
  TemplateError,
  type CompiledTemplate,
} from '../../src/render/template.js';
import { fakeContext } from './fake-world.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL_PATH = resolve(ROOT, 'schemas/devops-guru/service-2.json');
const REQUEST_SCHEMAS = join(ROOT, 'schemas/devops-guru/requests');
const TEMPLATE_DIR = join(defaultTemplateDir(), 'devops-guru');

interface Model {
  operations: Record<string, { errors?: { shape: string }[] }>;
}
const model = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as Model;
const operations = Object.keys(model.operations).sort();
const templates = loadTemplates([defaultTemplateDir()]);
const byName = new Map(templates.map((t) => [t.eventName, t]));
const rawTemplate = (op: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(TEMPLATE_DIR, `${op}.json`), 'utf8')) as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false });
const requestValidator = (op: string): ValidateFunction =>
  ajv.compile(JSON.parse(readFileSync(join(REQUEST_SCHEMAS, `${op}.schema.json`), 'utf8')) as object);

describe('the DevOps Guru templates', () => {
  it('cover exactly the operations of the service model, one file each, beside service.json', () => {
    expect(templates.map((t) => t.eventName)).toEqual(operations);
    expect(
      readdirSync(TEMPLATE_DIR)
        .filter((f) => f.endsWith('.json') && f !== 'service.json')
        .sort(),
    ).toEqual(operations.map((o) => `${o}.json`));
    for (const t of templates) expect(t.eventSource).toBe('devops-guru.amazonaws.com');
  });

  it('are read-only exactly for Describe*, List*, Get* and Search*', () => {
    for (const t of templates) {
      expect(t.readOnly, t.eventName).toBe(/^(Describe|List|Get|Search)/.test(t.eventName));
    }
    // The one debatable case documents its choice in the file.
    expect(byName.get('StartCostEstimation')?.readOnly).toBe(false);
    expect(String(rawTemplate('StartCostEstimation').$comment)).toMatch(/readOnly/);
  });

  it('only fail with errors the model lists for the operation', () => {
    for (const t of templates) {
      const allowed = (model.operations[t.eventName]?.errors ?? []).map((e) => e.shape);
      expect(t.errors.length, t.eventName).toBeGreaterThan(0);
      for (const e of t.errors) expect(allowed, `${t.eventName} ${e.code}`).toContain(e.code);
    }
  });

  it('have no responseElements for read-only calls and calls with an empty response', () => {
    const { ctx, rng } = fakeContext(1);
    for (const t of templates) {
      const out = t.render(ctx, rng);
      if (t.eventName === 'AddNotificationChannel') continue;
      expect(out.responseElements, t.eventName).toBeNull();
    }
  });

  it('AddNotificationChannel returns the id of the channel whose topic it names', () => {
    const t = byName.get('AddNotificationChannel') as CompiledTemplate;
    for (let seed = 0; seed < 20; seed++) {
      const { ctx, rng } = fakeContext(seed);
      const refs = new Map<string, unknown>();
      const out = t.render(ctx, rng, refs);
      const created = refs.get('channel') as { id: string; topicArn: string };
      expect(out.responseElements).toEqual({ Id: created.id });
      expect(out.requestParameters).toMatchObject({ Config: { Sns: { TopicArn: created.topicArn } } });
      expect(t.resource(ctx, rng, refs)).toBe(created.topicArn);
    }
  });

  it('name the same channel in the request and in the AccessDenied resource', () => {
    const t = byName.get('RemoveNotificationChannel') as CompiledTemplate;
    const { ctx, rng } = fakeContext(7);
    const refs = new Map<string, unknown>();
    const { requestParameters } = t.render(ctx, rng, refs);
    const id = (requestParameters as { Id: string }).Id;
    expect(t.resource(ctx, rng, refs)).toBe(`arn:aws:devops-guru:eu-west-1:${ctx.account.id}:channel/${id}`);
  });
});

/** Paths of `$optional` members reachable through plain structures (not inside other generators). */
function optionalPaths(node: unknown, path: string[] = []): string[][] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  if (Object.keys(node).some((k) => k.startsWith('$'))) return [];
  const out: string[][] = [];
  for (const [key, member] of Object.entries(node as Record<string, unknown>)) {
    const m = member as Record<string, unknown> | null;
    if (m && typeof m === 'object' && '$optional' in m) {
      out.push([...path, key]);
      out.push(...optionalPaths(m.$optional, [...path, key]));
    } else {
      out.push(...optionalPaths(member, [...path, key]));
    }
  }
  return out;
}

function lookup(value: unknown, path: string[]): { parent: boolean; present: boolean } {
  let v = value as Record<string, unknown> | null | undefined;
  for (let i = 0; i < path.length - 1; i++) {
    v = v?.[path[i] as string] as Record<string, unknown> | undefined;
  }
  const parent = v !== null && v !== undefined;
  return { parent, present: v !== null && v !== undefined && (path[path.length - 1] as string) in v };
}

describe.each(operations)('%s requestParameters over 300 seeds', (op) => {
  it('are valid against the model, with optional members sometimes present and sometimes absent', () => {
    const t = byName.get(op) as CompiledTemplate;
    const validate = requestValidator(op);
    const schema = validate.schema as { required?: string[] };
    const optionals = optionalPaths(rawTemplate(op).requestParameters);
    const seen = optionals.map(() => ({ present: 0, absent: 0 }));
    for (let seed = 0; seed < 300; seed++) {
      const { ctx, rng } = fakeContext(`${op}/${seed}`);
      const first = t.render(ctx, rng).requestParameters;
      // A paginated operation's first page leaves its page token out; the next page carries it.
      const requests = t.paginated ? [first, t.nextPage(first, ctx, rng, new Map())] : [first];
      for (const requestParameters of requests) {
        if (requestParameters === null) {
          // Null stands for a request without parameters, which only an input without required members allows.
          expect(schema.required ?? [], `${op} seed ${seed}`).toEqual([]);
        } else if (!validate(requestParameters)) {
          throw new Error(
            `${op} seed ${seed}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(requestParameters)}`,
          );
        }
        optionals.forEach((p, i) => {
          const { parent, present } = lookup(requestParameters, p);
          if (present) (seen[i] as { present: number }).present++;
          else if (parent || requestParameters === null) (seen[i] as { absent: number }).absent++;
        });
      }
      if (t.paginated) expect(first?.NextToken, `${op} seed ${seed}`).toBeUndefined();
    }
    optionals.forEach((p, i) => {
      expect(seen[i]?.present, `${op} ${p.join('.')} present`).toBeGreaterThan(0);
      expect(seen[i]?.absent, `${op} ${p.join('.')} absent`).toBeGreaterThan(0);
    });
  });
});

describe('world changes', () => {
  it('are carried out by scheduled-only templates, whose requests are valid', () => {
    const scheduled = templates.filter((t) => t.lifecycle.length > 0);
    expect(scheduled.map((t) => t.eventName)).toEqual([
      'AddNotificationChannel',
      'DeleteInsight',
      'RemoveNotificationChannel',
      'StartCostEstimation',
      'UpdateResourceCollection',
    ]);
    for (const t of scheduled) {
      expect(t.scheduledOnly, t.eventName).toBe(true);
      const validate = requestValidator(t.eventName);
      for (const change of t.lifecycle) {
        for (let seed = 0; seed < 50; seed++) {
          const { ctx, rng } = fakeContext(`${change}/${seed}`);
          const { requestParameters } = t.render(ctx, rng, new Map(), change);
          if (!validate(requestParameters))
            throw new Error(`${t.eventName} ${change}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
  });

  it('follow the change: a stack removal is a REMOVE of that stack', () => {
    const t = byName.get('UpdateResourceCollection') as CompiledTemplate;
    const { ctx, rng } = fakeContext(5);
    const stacks = ctx.world.values('stack', 'name');
    for (const [change, action] of [
      ['stack.create', 'ADD'],
      ['stack.delete', 'REMOVE'],
    ] as const) {
      expect(t.render(ctx, rng, new Map(), change).requestParameters).toEqual({
        Action: action,
        ResourceCollection: { CloudFormation: { StackNames: [...stacks] } },
      });
    }
    expect(() => t.render(ctx, rng, new Map(), 'channel.create')).toThrow(
      /does not carry out the world change channel.create/,
    );
  });

  it('name what calls require from the world', () => {
    expect(byName.get('DescribeInsight')?.requires).toEqual(['insight']);
    expect(byName.get('GetCostEstimation')?.requires).toEqual(['costEstimation']);
    expect(byName.get('DescribeAccountHealth')?.requires).toEqual([]);
  });
});

describe('rendering', () => {
  it('is a function of the seed', () => {
    for (const t of templates) {
      const a = fakeContext('same');
      const b = fakeContext('same');
      const x = [t.render(a.ctx, a.rng), t.render(a.ctx, a.rng)];
      const y = [t.render(b.ctx, b.rng), t.render(b.ctx, b.rng)];
      expect(y, t.eventName).toEqual(x);
      expect(JSON.stringify(y)).toBe(JSON.stringify(x));
    }
  });

  it('varies with the seed', () => {
    const t = byName.get('ListInsights') as CompiledTemplate;
    const outputs = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const { ctx, rng } = fakeContext(seed);
      outputs.add(JSON.stringify(t.render(ctx, rng)));
    }
    expect(outputs.size).toBeGreaterThan(10);
  });

  it('keeps the model member order in requestParameters', () => {
    const t = byName.get('ListAnomaliesForInsight') as CompiledTemplate;
    const order = ['InsightId', 'StartTimeRange', 'MaxResults', 'NextToken', 'AccountId', 'Filters'];
    for (let seed = 0; seed < 50; seed++) {
      const { ctx, rng } = fakeContext(seed);
      const keys = Object.keys(t.render(ctx, rng).requestParameters ?? {});
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    }
  });

  it('writes request times as java.util.Date strings before the event', () => {
    const t = byName.get('SearchInsights') as CompiledTemplate;
    const { ctx, rng } = fakeContext(3);
    const range = (
      t.render(ctx, rng).requestParameters as { StartTimeRange: { FromTime: string; ToTime: string } }
    ).StartTimeRange;
    const java = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/;
    expect(range.FromTime).toMatch(java);
    expect(range.ToTime).toMatch(java);
    expect(Date.parse(`${range.ToTime.replace(/, (\d{4}),/, ' $1')} UTC`)).toBeLessThanOrEqual(ctx.eventTime);
  });
});

describe('request schemas', () => {
  it('are exactly what the generator derives from service-2.json', () => {
    const files = renderRequestSchemaFiles(MODEL_PATH);
    expect(resolve(DEFAULT_OUT)).toBe(REQUEST_SCHEMAS);
    expect([...files.keys()].sort()).toEqual(readdirSync(REQUEST_SCHEMAS).sort());
    for (const [name, text] of files) {
      expect(readFileSync(join(REQUEST_SCHEMAS, name), 'utf8'), name).toBe(text);
    }
    expect(files.size).toBe(31);
  });

  it('handle the Unicode classes of tag patterns', () => {
    const validate = requestValidator('UpdateResourceCollection');
    const tags = (values: string[]): unknown => ({
      Action: 'ADD',
      ResourceCollection: { Tags: [{ AppBoundaryKey: 'devops-guru-Anwendung', TagValues: values }] },
    });
    expect(validate(tags(['Zahlung 2', 'données', '*']))).toBe(true);
    expect(validate(tags(['semi;colon']))).toBe(false);
  });
});

describe('loading templates', () => {
  const base = rawTemplate('DescribeInsight');

  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'trailsim-templates-'));
    for (const [name, json] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));
    }
    return dir;
  }

  function loadError(template: unknown): TemplateError {
    const dir = dirWith({ 'svc/Bad.json': template });
    try {
      loadTemplates([dir]);
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      const e = err as TemplateError;
      expect(e.message).not.toContain('\n');
      expect(e.file).toBe(join(dir, 'svc/Bad.json'));
      expect(e.message.startsWith(`${e.file}: ${e.jsonPath}: `)).toBe(true);
      return e;
    }
    throw new Error('the template loaded');
  }

  const withRequest = (requestParameters: unknown): unknown => ({ ...base, requestParameters });

  it.each([
    [
      'an unknown generator',
      { Id: { $bogus: 1 } },
      '/requestParameters/Id/$bogus',
      /unknown generator "\$bogus"/,
    ],
    [
      'an unknown option',
      { Id: { $enum: ['A'], weight: [1] } },
      '/requestParameters/Id/weight',
      /unknown option "weight" for \$enum/,
    ],
    [
      'an unknown $ref path',
      { Id: { $ref: 'insight.nope.deeper' } },
      '/requestParameters/Id/$ref',
      /unknown context path "insight.nope.deeper"/,
    ],
    [
      'an unknown $format path',
      { Id: { $format: 'x-{acount id}' } },
      '/requestParameters/Id/$format',
      /unknown context path "acount id"/,
    ],
    [
      'a weights mismatch',
      { Id: { $enum: ['A', 'B'], weights: [1] } },
      '/requestParameters/Id/weights',
      /1 weights for 2 choices/,
    ],
    [
      'min > max',
      { Ids: { $list: { $uuid: true }, min: 3, max: 2 } },
      '/requestParameters/Ids',
      /min \(3\) is greater than max \(2\)/,
    ],
    [
      'a bad time offset',
      { T: { $time: ['-30x', '0s'] } },
      '/requestParameters/T/$time/0',
      /bad time offset "-30x"/,
    ],
    ['reversed offsets', { T: { $time: ['-1h', '-2h'] } }, '/requestParameters/T/$time', /later than/],
    [
      'a nested unknown option',
      { F: { $optional: { X: { $int: [1, 2], step: 1 } } } },
      '/requestParameters/F/$optional/X/step',
      /unknown option "step"/,
    ],
    [
      '$optional outside an object member',
      { L: [{ $optional: 1 }] },
      '/requestParameters/L/0/$optional',
      /only allowed as the value of an object member/,
    ],
    [
      'an unknown faker method',
      { N: { $faker: 'finance.iban' } },
      '/requestParameters/N/$faker',
      /unknown faker method/,
    ],
  ])('rejects %s, naming the file and JSON path', (_what, request, path, message) => {
    const e = loadError(withRequest(request));
    expect(e.jsonPath).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('rejects an unknown top-level key', () => {
    const e = loadError({ ...base, colour: 'blue' });
    expect(e.jsonPath).toBe('/colour');
    expect(e.message).toMatch(/unknown key "colour"/);
  });

  it('rejects a missing key and invalid JSON', () => {
    const { weight: _weight, ...noWeight } = base;
    expect(loadError(noWeight).message).toMatch(/missing required key "weight"/);
    expect(loadError('{"eventName": ').message).toMatch(/not valid JSON/);
  });

  it('lets a later folder override a template of an earlier one', () => {
    const dir = dirWith({ 'mine/DescribeInsight.json': { ...base, weight: 99 } });
    const loaded = loadTemplates([defaultTemplateDir(), dir]);
    expect(loaded.map((t) => t.eventName)).toEqual(operations);
    const t = loaded.find((x) => x.eventName === 'DescribeInsight');
    expect(t?.weight).toBe(99);
    expect(t?.file).toBe(join(dir, 'mine/DescribeInsight.json'));
  });

  it('rejects a scheduled-only template without lifecycle changes, and a bad change node', () => {
    expect(loadError({ ...base, scheduledOnly: true }).jsonPath).toBe('/scheduledOnly');
    const e = loadError({ ...base, lifecycle: { 'insight.delete': { Id: { $ref: 'insight/idd' } } } });
    expect(e.jsonPath).toBe('/lifecycle/insight.delete/Id/$ref');
  });

  it('rejects two templates for one event in one folder', () => {
    const dir = dirWith({ 'a/One.json': base, 'b/Two.json': base });
    expect(() => loadTemplates([dir])).toThrow(
      /b\/Two\.json: \/eventName: DescribeInsight already has a template/,
    );
  });

  it('compiles a template given as a value', () => {
    const t = compileTemplate({ ...base, requestParameters: { Id: 'fixed' } }, 'inline.json');
    const { ctx, rng } = fakeContext(1);
    expect(t.render(ctx, rng)).toEqual({ requestParameters: { Id: 'fixed' }, responseElements: null });
    expect(t.resource(ctx, rng, new Map())).toBe(`arn:aws:devops-guru:eu-west-1:${ctx.account.id}:*`);
  });
});
