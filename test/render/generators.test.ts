import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/rng.js';
import type { EntityRef, RenderContext, WorldView } from '../../src/render/context.js';
import {
  compileNode,
  FAKER_METHODS,
  formatTime,
  GENERATORS,
  KNOWN_PATHS,
  NodeError,
  parseOffset,
  sample,
  type Compiled,
  type RenderState,
} from '../../src/render/generators.js';
import { templateSchemaPath } from '../../src/render/template.js';
import { fakeContext } from './fake-world.js';

/** Compiles a node and renders it `n` times on one stream. */
function draw(node: unknown, n = 1, seed: string | number = 1): unknown[] {
  const c = compileNode(node, '');
  const { ctx, rng } = fakeContext(seed);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const s: RenderState = { ctx, rng, refs: new Map() };
    out.push(c.constant ? c.value : c.gen(s));
  }
  return out;
}

function nodeError(node: unknown): NodeError {
  try {
    compileNode(node, '/n');
  } catch (err) {
    expect(err).toBeInstanceOf(NodeError);
    return err as NodeError;
  }
  throw new Error('the node compiled');
}

const EVENT = Date.UTC(2026, 10, 1, 15, 4, 5);

describe('formatTime', () => {
  it.each([
    [Date.UTC(2026, 10, 1, 12, 0, 0), 'Nov 1, 2026, 12:00:00 PM'],
    [Date.UTC(2026, 10, 1, 0, 0, 0), 'Nov 1, 2026, 12:00:00 AM'],
    [Date.UTC(2026, 0, 5, 9, 3, 7), 'Jan 5, 2026, 9:03:07 AM'],
    [Date.UTC(2025, 11, 31, 23, 59, 59), 'Dec 31, 2025, 11:59:59 PM'],
    [Date.UTC(2024, 1, 29, 13, 0, 0), 'Feb 29, 2024, 1:00:00 PM'],
    [Date.UTC(2026, 4, 17, 0, 30, 0), 'May 17, 2026, 12:30:00 AM'],
  ])('renders %s as a java.util.Date string', (ms, text) => {
    expect(formatTime(ms, 'java')).toBe(text);
  });

  it('renders iso and epoch', () => {
    expect(formatTime(Date.UTC(2026, 10, 1, 12, 0, 0), 'iso')).toBe('2026-11-01T12:00:00Z');
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5), 'iso')).toBe('2026-01-02T03:04:05Z');
    expect(formatTime(Date.UTC(2026, 10, 1, 12, 0, 0, 999), 'epoch')).toBe(1793534400);
  });

  it('does not depend on the time zone', () => {
    const saved = process.env.TZ;
    const instants = [Date.UTC(2026, 10, 1, 0, 0, 0), Date.UTC(2026, 2, 29, 1, 30, 0)];
    const utc = instants.map((ms) => [formatTime(ms, 'java'), formatTime(ms, 'iso')]);
    try {
      for (const tz of ['Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Chatham']) {
        process.env.TZ = tz;
        expect(new Date(0).getTimezoneOffset(), tz).not.toBe(0); // the zone change took effect
        expect(instants.map((ms) => [formatTime(ms, 'java'), formatTime(ms, 'iso')])).toEqual(utc);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('parseOffset', () => {
  it('reads signed offsets in seconds', () => {
    expect(parseOffset('-30d', '')).toBe(-30 * 86400);
    expect(parseOffset('+5m', '')).toBe(300);
    expect(parseOffset('0s', '')).toBe(0);
    expect(parseOffset('2h', '', false)).toBe(7200);
  });

  it.each(['30', '-1w', '1.5h', '', 'h', 5])('rejects %j', (bad) => {
    expect(() => parseOffset(bad, '/x')).toThrow(NodeError);
  });

  it('rejects a sign in a duration', () => {
    expect(() => parseOffset('-1h', '/x', false)).toThrow(/bad time offset/);
  });
});

describe('compileNode', () => {
  it('keeps literals, lists and structures, sharing constant subtrees', () => {
    const node = { B: 1, A: ['x', { C: null, D: true }] };
    const c = compileNode(node, '') as Extract<Compiled, { constant: true }>;
    expect(c.constant).toBe(true);
    expect(c.value).toEqual(node);
    expect(JSON.stringify(c.value)).toBe(JSON.stringify(node)); // key order kept
    // A constant inside a generated structure is the same object on every render (documented).
    const [x, y] = draw({ Fixed: { K: 'v' }, Id: { $uuid: true } }, 2) as Record<string, unknown>[];
    expect(x?.Fixed).toBe(y?.Fixed);
    expect(x?.Id).not.toBe(y?.Id);
  });

  it('$enum honours weights, and a zero weight never wins', () => {
    const values = draw({ $enum: ['A', 'B', 'C'], weights: [3, 1, 0] }, 2000);
    const a = values.filter((v) => v === 'A').length;
    expect(values).not.toContain('C');
    expect(a / 2000).toBeGreaterThan(0.7);
    expect(a / 2000).toBeLessThan(0.8);
  });

  it('$int stays within its bounds and reaches both', () => {
    const values = draw({ $int: [3, 5] }, 500) as number[];
    expect(new Set(values)).toEqual(new Set([3, 4, 5]));
  });

  it('$chars draws from the alphabet with a prefix and length', () => {
    for (const v of draw({ $chars: 63, alphabet: 'base64url', prefix: 'A' }, 50) as string[]) {
      expect(v).toMatch(/^A[\w-]{63}$/);
    }
    for (const v of draw({ $chars: [2, 4], alphabet: 'xy' }, 200) as string[])
      expect(v).toMatch(/^[xy]{2,4}$/);
    expect(new Set((draw({ $chars: [2, 4], alphabet: 'xy' }, 200) as string[]).map((v) => v.length))).toEqual(
      new Set([2, 3, 4]),
    );
    expect(draw({ $chars: 8, alphabet: 'hex' }, 20).every((v) => /^[0-9a-f]{8}$/.test(v as string))).toBe(
      true,
    );
  });

  it('$uuid is a version 4 UUID', () => {
    expect(draw({ $uuid: true })[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('$list respects min, max and unique', () => {
    const lists = draw(
      { $list: { $enum: ['A', 'B', 'C'] }, min: 1, max: 3, unique: true },
      300,
    ) as string[][];
    for (const l of lists) {
      expect(l.length).toBeGreaterThanOrEqual(1);
      expect(l.length).toBeLessThanOrEqual(3);
      expect(new Set(l).size).toBe(l.length);
    }
    expect(new Set(lists.map((l) => l.length))).toEqual(new Set([1, 2, 3]));
  });

  it('$sample returns a subset in the list order', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const rng = new Rng('sample');
    const sizes = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const s = sample(rng, items, 2, 4);
      sizes.add(s.length);
      expect(s).toEqual(items.filter((x) => s.includes(x)));
    }
    expect(sizes).toEqual(new Set([2, 3, 4]));
    expect(sample(rng, items, 6, 100)).toEqual(items); // capped at the list's length
    expect(sample(rng, ['a'], 2, 3)).toEqual(['a']);
    expect(sample(rng, [], 1, 3)).toEqual([]);
  });

  it('$optional members appear with about probability p, others always', () => {
    const objs = draw({ Always: 1, Sometimes: { $optional: 2, p: 0.3 } }, 2000) as Record<string, unknown>[];
    const present = objs.filter((o) => 'Sometimes' in o).length / objs.length;
    expect(objs.every((o) => o.Always === 1)).toBe(true);
    expect(present).toBeGreaterThan(0.25);
    expect(present).toBeLessThan(0.35);
  });

  it('$optional with omitEmpty drops an empty list', () => {
    const c = compileNode(
      { L: { $optional: { $sample: 'organization.unitIds' }, p: 1, omitEmpty: true } },
      '',
    );
    const { ctx, rng } = fakeContext(1);
    const empty: RenderContext = { ...ctx, world: { ...ctx.world, organizationalUnitIds: () => [] } };
    const gen = (c as Extract<Compiled, { constant: false }>).gen;
    expect(gen({ ctx: empty, rng, refs: new Map() })).toEqual({});
    const full: RenderContext = {
      ...ctx,
      world: { ...ctx.world, organizationalUnitIds: () => ['ou-ab12-abcdefgh'] },
    };
    expect(gen({ ctx: full, rng, refs: new Map() })).toEqual({ L: ['ou-ab12-abcdefgh'] });
  });

  it('$oneOf picks alternatives by weight', () => {
    const values = draw({ $oneOf: [{ K: 'a' }, { $enum: ['b'] }], weights: [0, 1] }, 100);
    expect(new Set(values)).toEqual(new Set(['b']));
  });

  it('$time draws whole seconds between the offsets from the event time', () => {
    const { ctx } = fakeContext(1);
    expect(ctx.eventTime).toBe(EVENT);
    for (const v of draw({ $time: ['-1h', '-1m'], format: 'epoch' }, 300) as number[]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(EVENT / 1000 - 3600);
      expect(v).toBeLessThanOrEqual(EVENT / 1000 - 60);
    }
    expect(draw({ $time: ['-1d', '-1d'], format: 'java' })).toEqual(['Oct 31, 2026, 3:04:05 PM']);
  });

  it('$timeRange ends before the event and starts a span earlier', () => {
    const node = {
      $timeRange: { span: ['1h', '2d'], endAgo: ['0s', '2h'] },
      keys: ['Start', 'End'],
      format: 'epoch',
    };
    for (const r of draw(node, 300) as { Start: number; End: number }[]) {
      expect(Object.keys(r)).toEqual(['Start', 'End']);
      expect(r.End).toBeLessThanOrEqual(EVENT / 1000);
      expect(r.End).toBeGreaterThanOrEqual(EVENT / 1000 - 7200);
      expect(r.End - r.Start).toBeGreaterThanOrEqual(3600);
      expect(r.End - r.Start).toBeLessThanOrEqual(2 * 86400);
    }
  });

  it('$format and $ref read the context', () => {
    const { ctx } = fakeContext(1);
    expect(draw({ $format: 'arn:{partition}:sns:{region}:{account.id}:ops-{{x}}' })).toEqual([
      `arn:aws:sns:eu-west-1:${ctx.account.id}:ops-{x}`,
    ]);
    expect(draw({ $ref: 'account.alias' })).toEqual(['acme-prod']);
  });

  it('$faker calls the seeded faker', () => {
    const a = draw({ $faker: 'word.noun' }, 5, 'f');
    expect(draw({ $faker: 'word.noun' }, 5, 'f')).toEqual(a);
    expect(a.every((w) => typeof w === 'string' && w.length > 0)).toBe(true);
  });

  it('resolves each world getter once per event, so refs agree', () => {
    const insights: EntityRef[] = ['A1', 'A2', 'A3'].map((id, i) => ({
      id,
      type: 'REACTIVE',
      severity: 'HIGH',
      status: 'ONGOING',
      startTime: 0,
      endTime: null,
      anomalyIds: [`${id}-anomaly-${i}`],
      stackNames: [`stack${i}`],
    }));
    let calls = 0;
    const { ctx, rng } = fakeContext(1);
    const world: WorldView = {
      ...ctx.world,
      entity: (kind) => (kind === 'insight' ? insights[calls++ % 3]! : ctx.world.entity(kind)),
    };
    const c = compileNode(
      {
        Id: { $ref: 'insight.id' },
        Anomalies: { $ref: 'insight.anomalyIds' },
        Name: { $format: '{insight.id}' },
      },
      '',
    ) as Extract<Compiled, { constant: false }>;
    for (let i = 0; i < 5; i++) {
      const out = c.gen({ ctx: { ...ctx, world }, rng, refs: new Map() }) as Record<string, unknown>;
      const id = out.Id as string;
      expect(out.Name).toBe(id);
      expect(out.Anomalies).toEqual(insights.find((x) => x.id === id)?.anomalyIds);
    }
    expect(calls).toBe(5); // once per event, and a new event may see another insight
  });

  it('is deterministic for a seed', () => {
    const node = {
      A: { $list: { $chars: 4 }, min: 0, max: 5 },
      B: { $optional: { $timeRange: { span: ['1h', '3d'] } } },
      C: { $sample: 'stack[].name', max: 3 },
    };
    expect(JSON.stringify(draw(node, 20, 'x'))).toBe(JSON.stringify(draw(node, 20, 'x')));
    expect(JSON.stringify(draw(node, 20, 'x'))).not.toBe(JSON.stringify(draw(node, 20, 'y')));
  });

  it.each([
    [{ $nope: 1 }, '/n/$nope', /unknown generator/],
    [{ $enum: ['A'], $uuid: true }, '/n/$uuid', /one generator key/],
    [{ $uuid: true, size: 3 }, '/n/size', /unknown option "size" for \$uuid \(allowed: none\)/],
    [{ $ref: 'nowhere' }, '/n/$ref', /unknown context path/],
    [{ $sample: 'account.id' }, '/n/$sample', /not a list/],
    [{ $format: '{stack[].name}' }, '/n/$format', /is a list/],
    [{ $format: 'a{region' }, '/n/$format', /unclosed/],
    [{ $enum: [] }, '/n/$enum', /non-empty/],
    [{ $enum: [{ a: 1 }] }, '/n/$enum/0', /enum values/],
    [{ $oneOf: [1, 2], weights: [1, 2, 3] }, '/n/weights', /3 weights for 2 choices/],
    [{ $enum: ['a'], weights: [0] }, '/n/weights', /positive/],
    [{ $int: [5, 1] }, '/n/$int', /greater than max/],
    [{ $int: [1.5, 2] }, '/n/$int/0', /integer/],
    [{ $list: 1, min: 2, max: 3, unique: true }, '/n', /at most 1 item/],
    [{ $list: { $enum: ['a', 'b'] }, min: 3, max: 3, unique: true }, '/n/min', /cannot have 3 items/],
    [{ $sample: 'stack[].name', min: 4, max: 2 }, '/n', /greater than max/],
    [{ $time: ['-1h'] }, '/n/$time', /\[from, to\]/],
    [{ $time: ['-1h', '0s'], format: 'rfc' }, '/n/format', /unknown time format/],
    [{ $timeRange: { span: ['2h', '1h'] } }, '/n/$timeRange/span', /greater than max/],
    [{ $timeRange: { span: ['-1h', '1h'] } }, '/n/$timeRange/span/0', /bad time offset/],
    [{ $timeRange: { span: ['1h', '1h'], end: ['0s', '0s'] } }, '/n/$timeRange/end', /unknown option/],
    [{ $timeRange: { span: ['1h', '1h'] }, keys: ['A', 'A'] }, '/n/keys', /two different/],
    [{ $optional: 1 }, '/n/$optional', /object member/],
    [{ K: { $optional: 1, p: 2 } }, '/n/K/p', /from 0 to 1/],
    [{ K: { $optional: { $optional: 1 } } }, '/n/K/$optional', /nested/],
    [{ $faker: 'finance.iban' }, '/n/$faker', /unknown faker method/],
    [{ 'a/b': { $uuid: false } }, '/n/a~1b/$uuid', /must be true/],
  ])('rejects %j at its JSON path', (node, path, message) => {
    const e = nodeError(node);
    expect(e.jsonPath).toBe(path);
    expect(e.message).toMatch(message);
  });
});

describe('the template schema', () => {
  const schema = JSON.parse(readFileSync(templateSchemaPath(), 'utf8')) as {
    definitions: Record<
      string,
      { enum?: string[]; anyOf?: { enum?: string[] }[]; properties?: Record<string, { enum?: string[] }> }
    >;
  };

  it('lists the same context paths and faker methods as the compiler', () => {
    expect(schema.definitions.path?.anyOf?.[0]?.enum).toEqual(Object.keys(KNOWN_PATHS));
    expect(schema.definitions.faker?.properties?.$faker?.enum).toEqual(Object.keys(FAKER_METHODS));
  });

  it('describes every generator with the options the compiler accepts', () => {
    const defs = Object.values(schema.definitions).filter(
      (d) => d.properties && Object.keys(d.properties).some((k) => k.startsWith('$')),
    );
    const fromSchema = Object.fromEntries(
      defs.map((d) => {
        const keys = Object.keys(d.properties ?? {});
        return [keys.find((k) => k.startsWith('$')), keys.filter((k) => !k.startsWith('$')).sort()];
      }),
    );
    const fromCompiler = Object.fromEntries(
      Object.entries(GENERATORS).map(([g, opts]) => [g, [...opts].sort()]),
    );
    expect(fromSchema).toEqual(fromCompiler);
  });

  it('is documented in templates/README.md, generator by generator', () => {
    const readme = readFileSync(join(templateSchemaPath(), '../../templates/README.md'), 'utf8');
    for (const g of Object.keys(GENERATORS)) expect(readme, g).toContain(`\`${g}\``);
    for (const p of Object.keys(KNOWN_PATHS)) expect(readme, p).toContain(`\`${p}\``);
    for (const f of Object.keys(FAKER_METHODS)) expect(readme, f).toContain(`\`${f}\``);
  });
});
