import type { Faker } from '@faker-js/faker';
import type { Rng } from '../shared/rng.js';
import type { RenderContext, TagRef } from './context.js';
import { isoSeconds } from '../shared/time.js';

/**
 * The generator vocabulary of templates: each value node of a template is compiled once, at load
 * time, into a closure (`Gen`) that produces the value of one event. Nothing here walks the JSON
 * tree per event, parses a path or builds a regular expression per event.
 *
 * Constant subtrees are computed once and the same object is handed to every event. That is safe
 * because a rendered record is serialised right away and never mutated; code that keeps records
 * around must not mutate them either.
 */

/** Per-event memo of world lookups: getter name → value. One map per event, shared by every ref. */
export type EventRefs = Map<string, unknown>;

/** What a compiled generator reads while it renders one event. */
export interface RenderState {
  readonly ctx: RenderContext;
  readonly rng: Rng;
  readonly refs: EventRefs;
}

/** A compiled value node. */
export type Gen = (s: RenderState) => unknown;

/** A compiled node: a constant (computed once, shared) or a generator. */
export type Compiled =
  { readonly constant: true; readonly value: unknown } | { readonly constant: false; readonly gen: Gen };

/** A problem in a template node, with the JSON pointer of the offending part. */
export class NodeError extends Error {
  readonly jsonPath: string;
  constructor(jsonPath: string, message: string) {
    super(message);
    this.jsonPath = jsonPath;
  }
}

// ---------------------------------------------------------------------------------------------
// Context paths

/** What a context path yields, so that misuse (`$sample` of a string) fails at load time. */
export type PathKind = 'string' | 'number' | 'list' | 'value';

interface PathDef {
  kind: PathKind;
  get: (s: RenderState) => unknown;
}

/** Resolves a world getter at most once per event, so that every ref names the same entity. */
function once<T>(key: string, load: (s: RenderState) => T): (s: RenderState) => T {
  return (s) => {
    const refs = s.refs;
    if (refs.has(key)) return refs.get(key) as T;
    const v = load(s);
    refs.set(key, v);
    return v;
  };
}

const insight = once('insight', (s) => s.ctx.world.insight());
const anomalyId = once('anomaly', (s) => s.ctx.world.anomalyId());
const channel = once('channel', (s) => s.ctx.world.channel());
const newChannel = once('newChannel', (s) => s.ctx.world.newChannel());
const topicArn = once('topicArn', (s) => s.ctx.world.topicArn());
const stackNames = once('stackNames', (s) => s.ctx.world.stackNames());
const tags = once('tags', (s) => s.ctx.world.tags());
const tag = once('tag', (s): TagRef => {
  const all = tags(s);
  if (all.length === 0) throw new Error('trailsim: the world has no application-boundary tags for `tag.*`');
  return s.rng.pick(all);
});
const orgAccountIds = once('organizationAccountIds', (s) => s.ctx.world.organizationAccountIds());
const orgUnitIds = once('organizationalUnitIds', (s) => s.ctx.world.organizationalUnitIds());
const kmsKeyArn = once('kmsKeyArn', (s) => s.ctx.world.kmsKeyArn());

/** Lists are copied so that a record never shares an array with the world. */
const copy = (xs: readonly unknown[]): unknown[] => xs.slice();

const PATHS: Record<string, PathDef> = {
  partition: { kind: 'string', get: (s) => s.ctx.partition },
  region: { kind: 'string', get: (s) => s.ctx.region },
  'account.id': { kind: 'string', get: (s) => s.ctx.account.id },
  'account.alias': { kind: 'string', get: (s) => s.ctx.account.alias },
  eventTime: { kind: 'number', get: (s) => s.ctx.eventTime },
  'principal.arn': { kind: 'string', get: (s) => s.ctx.principal.arn },
  'principal.accountId': { kind: 'string', get: (s) => s.ctx.principal.accountId },
  'principal.name': { kind: 'string', get: (s) => s.ctx.principal.name },
  'insight.id': { kind: 'string', get: (s) => insight(s).id },
  'insight.type': { kind: 'string', get: (s) => insight(s).type },
  'insight.severity': { kind: 'string', get: (s) => insight(s).severity },
  'insight.status': { kind: 'string', get: (s) => insight(s).status },
  'insight.startTime': { kind: 'number', get: (s) => insight(s).startTime },
  'insight.endTime': { kind: 'value', get: (s) => insight(s).endTime },
  'insight.anomalyIds': { kind: 'list', get: (s) => copy(insight(s).anomalyIds) },
  'insight.stackNames': { kind: 'list', get: (s) => copy(insight(s).stackNames) },
  'anomaly.id': { kind: 'string', get: anomalyId },
  'channel.id': { kind: 'string', get: (s) => channel(s).id },
  'channel.topicArn': { kind: 'string', get: (s) => channel(s).topicArn },
  'newChannel.id': { kind: 'string', get: (s) => newChannel(s).id },
  'newChannel.topicArn': { kind: 'string', get: (s) => newChannel(s).topicArn },
  topicArn: { kind: 'string', get: topicArn },
  stackNames: { kind: 'list', get: (s) => copy(stackNames(s)) },
  tags: { kind: 'list', get: (s) => tags(s).map((t) => ({ key: t.key, values: copy(t.values) })) },
  'tag.key': { kind: 'string', get: (s) => tag(s).key },
  'tag.values': { kind: 'list', get: (s) => copy(tag(s).values) },
  'organization.accountIds': { kind: 'list', get: (s) => copy(orgAccountIds(s)) },
  'organization.unitIds': { kind: 'list', get: (s) => copy(orgUnitIds(s)) },
  kmsKeyArn: { kind: 'string', get: kmsKeyArn },
};

/**
 * Every path a `$ref`, `$format` placeholder or `$sample` may name, with the kind of value it
 * yields. `tag` is one application-boundary tag of `tags`, picked once per event.
 */
export const KNOWN_PATHS: Readonly<Record<string, PathKind>> = Object.freeze(
  Object.fromEntries(Object.entries(PATHS).map(([p, d]) => [p, d.kind])),
);

function pathGetter(path: unknown, where: string, want?: PathKind): (s: RenderState) => unknown {
  if (typeof path !== 'string') throw new NodeError(where, 'a context path must be a string');
  const def = PATHS[path];
  if (!def)
    throw new NodeError(where, `unknown context path "${path}" (known: ${Object.keys(PATHS).join(', ')})`);
  if (want === 'list' && def.kind !== 'list') throw new NodeError(where, `"${path}" is not a list`);
  if (want === 'string' && def.kind === 'list')
    throw new NodeError(where, `"${path}" is a list, not a string`);
  return def.get;
}

/**
 * Compiles a `{path}` format string into a function. Placeholders are context paths; `{{` and `}}`
 * stand for literal braces.
 *
 * @example compileFormat('arn:{partition}:sns:{region}:{account.id}:ops-alerts', '/resource')
 */
export function compileFormat(format: string, where: string): (s: RenderState) => string {
  const parts: (string | ((s: RenderState) => unknown))[] = [];
  let lit = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if ((c === '{' || c === '}') && format[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) throw new NodeError(where, `unclosed "{" in format "${format}"`);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(pathGetter(format.slice(i + 1, end), where, 'string'));
      i = end;
    } else if (c === '}') {
      throw new NodeError(where, `unmatched "}" in format "${format}"`);
    } else {
      lit += c;
    }
  }
  if (lit) parts.push(lit);
  if (parts.every((p) => typeof p === 'string')) {
    const text = parts.join('');
    return () => text;
  }
  return (s) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : String(p(s));
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Time

/** Output formats of `$time` and `$timeRange`. */
export type TimeFormat = 'iso' | 'epoch' | 'java';
const TIME_FORMATS: readonly TimeFormat[] = ['iso', 'epoch', 'java'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * Formats an instant (epoch ms) in UTC, computed by hand so that neither TZ nor the locale matters.
 * `java` is how CloudTrail renders a java.util.Date in the requestParameters of Java-based services.
 *
 * @example formatTime(Date.UTC(2026, 10, 1, 12), 'java') // 'Nov 1, 2026, 12:00:00 PM'
 * @example formatTime(Date.UTC(2026, 10, 1, 12), 'iso')  // '2026-11-01T12:00:00Z'
 */
export function formatTime(ms: number, format: TimeFormat): string | number {
  switch (format) {
    case 'epoch':
      return Math.floor(ms / 1000);
    case 'iso':
      return isoSeconds(ms);
    case 'java': {
      const d = new Date(ms);
      const h = d.getUTCHours();
      const h12 = h % 12 === 0 ? 12 : h % 12;
      return (
        `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ` +
        `${h12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
      );
    }
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses an offset such as `-30d`, `-1h`, `+5m`, `0s` into seconds. With `signed: false` the sign is
 * not allowed (durations such as a span).
 */
export function parseOffset(text: unknown, where: string, signed = true): number {
  const m = typeof text === 'string' ? /^([+-]?)(\d+)([smhd])$/.exec(text) : null;
  if (!m || (!signed && m[1])) {
    const shape = signed ? '"-30d", "-90m", "0s"' : '"1h", "30d"';
    throw new NodeError(
      where,
      `bad time offset ${JSON.stringify(text)}: expected a number and a unit s, m, h or d, like ${shape}`,
    );
  }
  const secs = Number(m[2]) * (UNIT_SECONDS[m[3] as string] as number);
  return m[1] === '-' ? -secs : secs;
}

// ---------------------------------------------------------------------------------------------
// Faker

/** The faker methods templates may call. Kept small: each must be cheap and locale-stable. */
export const FAKER_METHODS: Readonly<Record<string, (f: Faker) => string>> = Object.freeze({
  'word.noun': (f) => f.word.noun(),
  'word.adjective': (f) => f.word.adjective(),
  'word.verb': (f) => f.word.verb(),
  'lorem.word': (f) => f.lorem.word(),
  'lorem.sentence': (f) => f.lorem.sentence(),
  'person.firstName': (f) => f.person.firstName(),
  'person.lastName': (f) => f.person.lastName(),
  'internet.username': (f) => f.internet.username(),
  'internet.domainName': (f) => f.internet.domainName(),
  'company.name': (f) => f.company.name(),
  'commerce.department': (f) => f.commerce.department(),
  'location.city': (f) => f.location.city(),
});

// ---------------------------------------------------------------------------------------------
// Node compiler

/** Named alphabets of `$chars`. Any other string is used as the literal alphabet. */
export const ALPHABETS: Readonly<Record<string, string>> = Object.freeze({
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lower: 'abcdefghijklmnopqrstuvwxyz0123456789',
  digits: '0123456789',
});

/** Each generator and the options it accepts. `$optional` is valid only as an object member. */
export const GENERATORS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  $ref: [],
  $format: [],
  $enum: ['weights'],
  $uuid: [],
  $int: [],
  $chars: ['alphabet', 'prefix'],
  $list: ['min', 'max', 'unique'],
  $sample: ['min', 'max'],
  $optional: ['p', 'omitEmpty'],
  $oneOf: ['weights'],
  $time: ['format'],
  $timeRange: ['keys', 'format'],
  $faker: [],
});

const ptr = (base: string, key: string | number): string =>
  `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const constant = (value: unknown): Compiled => ({ constant: true, value });
const generated = (gen: Gen): Compiled => ({ constant: false, gen });

/** A generator view of a compiled node (constants become a closure returning the shared value). */
export function asGen(c: Compiled): Gen {
  if (c.constant) {
    const v = c.value;
    return () => v;
  }
  return c.gen;
}

/** The generator key of a node (`$enum`, ...), or null for a literal or structure. */
export function generatorOf(node: unknown, where: string): string | null {
  if (!isPlainObject(node)) return null;
  const dollars = Object.keys(node).filter((k) => k.startsWith('$'));
  if (dollars.length === 0) return null;
  const known = dollars.filter((k) => k in GENERATORS);
  if (known.length === 0) {
    const k = dollars[0] as string;
    throw new NodeError(
      ptr(where, k),
      `unknown generator "${k}" (known: ${Object.keys(GENERATORS).join(', ')})`,
    );
  }
  const gen = known[0] as string;
  const extra = dollars.find((k) => k !== gen);
  if (extra !== undefined) {
    throw new NodeError(
      ptr(where, extra),
      `a node has one generator key; "${extra}" next to "${gen}" is not allowed`,
    );
  }
  const allowed = GENERATORS[gen] as readonly string[];
  for (const k of Object.keys(node)) {
    if (k !== gen && !allowed.includes(k)) {
      const list = allowed.length ? allowed.join(', ') : 'none';
      throw new NodeError(ptr(where, k), `unknown option "${k}" for ${gen} (allowed: ${list})`);
    }
  }
  return gen;
}

function int(v: unknown, where: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new NodeError(
      where,
      `must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function range(min: number, max: number, where: string): void {
  if (min > max) throw new NodeError(where, `min (${min}) is greater than max (${max})`);
}

function weightsOf(v: unknown, n: number, where: string): Float64Array | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((w) => typeof w !== 'number' || !(w >= 0))) {
    throw new NodeError(where, 'weights must be a list of non-negative numbers');
  }
  if (v.length !== n) throw new NodeError(where, `${v.length} weights for ${n} choices`);
  if (!v.some((w) => (w as number) > 0)) throw new NodeError(where, 'at least one weight must be positive');
  return Float64Array.from(v as number[]);
}

function probability(v: unknown, where: string): number {
  if (v === undefined) return 0.5;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    throw new NodeError(where, 'p must be a number from 0 to 1');
  return v;
}

function timeFormat(v: unknown, where: string): TimeFormat {
  if (v === undefined) return 'iso';
  if (!TIME_FORMATS.includes(v as TimeFormat)) {
    throw new NodeError(
      where,
      `unknown time format ${JSON.stringify(v)} (known: ${TIME_FORMATS.join(', ')})`,
    );
  }
  return v as TimeFormat;
}

/** Event time in whole seconds, the base of `$time` and `$timeRange`. */
const eventSecond = (s: RenderState): number => Math.floor(s.ctx.eventTime / 1000) * 1000;

/**
 * Compiles a template value node (see templates/README.md for the vocabulary).
 * @param where the JSON pointer of the node, for error messages
 */
export function compileNode(node: unknown, where: string): Compiled {
  if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
    return constant(node);
  }
  if (Array.isArray(node)) {
    const items = node.map((n, i) => compileNode(n, ptr(where, i)));
    if (items.every((c) => c.constant)) return constant(items.map((c) => (c as { value: unknown }).value));
    const gens = items.map(asGen);
    return generated((s) => gens.map((g) => g(s)));
  }
  if (!isPlainObject(node)) throw new NodeError(where, `unsupported value ${JSON.stringify(node)}`);
  const gen = generatorOf(node, where);
  if (gen === null) return compileStructure(node, where);
  const at = ptr(where, gen);
  const arg = node[gen];
  switch (gen) {
    case '$ref':
      return generated(pathGetter(arg, at));
    case '$format':
      if (typeof arg !== 'string') throw new NodeError(at, 'a format must be a string');
      return generated(compileFormat(arg, at));
    case '$enum': {
      if (!Array.isArray(arg) || arg.length === 0)
        throw new NodeError(at, 'must be a non-empty list of values');
      arg.forEach((v, i) => {
        if (v !== null && typeof v === 'object')
          throw new NodeError(ptr(at, i), 'enum values must be strings, numbers, booleans or null');
      });
      const values = arg.slice();
      const weights = weightsOf(node.weights, values.length, ptr(where, 'weights'));
      if (values.length === 1) return constant(values[0]);
      return generated(weights ? (s) => s.rng.weighted(values, weights) : (s) => s.rng.pick(values));
    }
    case '$uuid':
      if (arg !== true) throw new NodeError(at, 'must be true');
      return generated((s) => s.rng.uuid());
    case '$int': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new NodeError(at, 'must be [min, max]');
      const min = int(arg[0], ptr(at, 0));
      const max = int(arg[1], ptr(at, 1));
      range(min, max, at);
      return generated((s) => s.rng.int(min, max));
    }
    case '$chars': {
      let min: number;
      let max: number;
      if (Array.isArray(arg)) {
        if (arg.length !== 2) throw new NodeError(at, 'must be a length or [min, max]');
        min = int(arg[0], ptr(at, 0), 0);
        max = int(arg[1], ptr(at, 1), 0);
        range(min, max, at);
      } else {
        min = max = int(arg, at, 0);
      }
      const a = node.alphabet ?? 'alnum';
      if (typeof a !== 'string' || a.length === 0)
        throw new NodeError(ptr(where, 'alphabet'), 'must be a non-empty string');
      const alphabet = ALPHABETS[a] ?? a;
      const prefix = node.prefix ?? '';
      if (typeof prefix !== 'string') throw new NodeError(ptr(where, 'prefix'), 'must be a string');
      return generated((s) => prefix + s.rng.chars(min === max ? min : s.rng.int(min, max), alphabet));
    }
    case '$list': {
      const item = compileNode(arg, at);
      const min = int(node.min, ptr(where, 'min'), 0);
      const max = int(node.max, ptr(where, 'max'), 0);
      range(min, max, where);
      const unique = node.unique ?? false;
      if (typeof unique !== 'boolean') throw new NodeError(ptr(where, 'unique'), 'must be true or false');
      if (unique && item.constant && min > 1)
        throw new NodeError(where, 'a unique list of a constant has at most 1 item');
      if (unique && isPlainObject(arg) && Array.isArray(arg.$enum) && min > arg.$enum.length) {
        throw new NodeError(
          ptr(where, 'min'),
          `a unique list of ${arg.$enum.length} enum values cannot have ${min} items`,
        );
      }
      return generated(unique ? uniqueList(asGen(item), min, max) : list(asGen(item), min, max));
    }
    case '$sample': {
      const get = pathGetter(arg, at, 'list');
      const min = node.min === undefined ? 1 : int(node.min, ptr(where, 'min'), 0);
      const max = node.max === undefined ? Infinity : int(node.max, ptr(where, 'max'), 0);
      range(min, max, where);
      return generated((s) => sample(s.rng, get(s) as unknown[], min, max));
    }
    case '$optional':
      throw new NodeError(at, '$optional is only allowed as the value of an object member');
    case '$oneOf': {
      if (!Array.isArray(arg) || arg.length === 0)
        throw new NodeError(at, 'must be a non-empty list of nodes');
      const alts = arg.map((n, i) => asGen(compileNode(n, ptr(at, i))));
      const weights = weightsOf(node.weights, alts.length, ptr(where, 'weights'));
      if (alts.length === 1) return generated(alts[0] as Gen);
      return generated(weights ? (s) => s.rng.weighted(alts, weights)(s) : (s) => s.rng.pick(alts)(s));
    }
    case '$time': {
      if (!Array.isArray(arg) || arg.length !== 2)
        throw new NodeError(at, 'must be [from, to], offsets like "-30d"');
      const from = parseOffset(arg[0], ptr(at, 0));
      const to = parseOffset(arg[1], ptr(at, 1));
      if (from > to) throw new NodeError(at, `"${String(arg[0])}" is later than "${String(arg[1])}"`);
      const format = timeFormat(node.format, ptr(where, 'format'));
      return generated((s) => formatTime(eventSecond(s) + s.rng.int(from, to) * 1000, format));
    }
    case '$timeRange':
      return compileTimeRange(node, arg, where, at);
    case '$faker': {
      const method = typeof arg === 'string' ? FAKER_METHODS[arg] : undefined;
      if (!method) {
        throw new NodeError(
          at,
          `unknown faker method ${JSON.stringify(arg)} (allowed: ${Object.keys(FAKER_METHODS).join(', ')})`,
        );
      }
      return generated((s) => method(s.ctx.faker));
    }
  }
  throw new NodeError(at, `generator ${gen} has no compiler`);
}

function compileTimeRange(node: Record<string, unknown>, arg: unknown, where: string, at: string): Compiled {
  if (!isPlainObject(arg)) throw new NodeError(at, 'must be {"span": [min, max], "endAgo": [min, max]}');
  for (const k of Object.keys(arg)) {
    if (k !== 'span' && k !== 'endAgo')
      throw new NodeError(ptr(at, k), `unknown option "${k}" for $timeRange (allowed: span, endAgo)`);
  }
  const pair = (v: unknown, name: string, dflt: [string, string]): [number, number] => {
    const p = ptr(at, name);
    const val = v ?? dflt;
    if (!Array.isArray(val) || val.length !== 2)
      throw new NodeError(p, 'must be [min, max], durations like "1h"');
    const lo = parseOffset(val[0], ptr(p, 0), false);
    const hi = parseOffset(val[1], ptr(p, 1), false);
    if (lo > hi) throw new NodeError(p, `min "${String(val[0])}" is greater than max "${String(val[1])}"`);
    return [lo, hi];
  };
  if (arg.span === undefined) throw new NodeError(at, 'span is required');
  const [spanMin, spanMax] = pair(arg.span, 'span', ['1h', '1h']);
  if (spanMin === 0) throw new NodeError(ptr(at, 'span'), 'a span must be longer than 0s');
  const [agoMin, agoMax] = pair(arg.endAgo, 'endAgo', ['0s', '0s']);
  const keys = node.keys ?? ['FromTime', 'ToTime'];
  if (
    !Array.isArray(keys) ||
    keys.length !== 2 ||
    keys.some((k) => typeof k !== 'string' || k === '') ||
    keys[0] === keys[1]
  ) {
    throw new NodeError(ptr(where, 'keys'), 'must be two different key names, [start, end]');
  }
  const [startKey, endKey] = keys as [string, string];
  const format = timeFormat(node.format, ptr(where, 'format'));
  return generated((s) => {
    const end = eventSecond(s) - s.rng.int(agoMin, agoMax) * 1000;
    const start = end - s.rng.int(spanMin, spanMax) * 1000;
    return { [startKey]: formatTime(start, format), [endKey]: formatTime(end, format) };
  });
}

function compileStructure(node: Record<string, unknown>, where: string): Compiled {
  const keys: string[] = [];
  const members: Compiled[] = [];
  const probs: number[] = [];
  const omitEmpty: boolean[] = [];
  let optional = false;
  for (const [key, member] of Object.entries(node)) {
    const at = ptr(where, key);
    let p = 1;
    let omit = false;
    let valueAt = at;
    let valueNode = member;
    if (generatorOf(member, at) === '$optional') {
      const opt = member as Record<string, unknown>;
      p = probability(opt.p, ptr(at, 'p'));
      const oe = opt.omitEmpty ?? false;
      if (typeof oe !== 'boolean') throw new NodeError(ptr(at, 'omitEmpty'), 'must be true or false');
      omit = oe;
      valueAt = ptr(at, '$optional');
      valueNode = opt.$optional;
      if (generatorOf(valueNode, valueAt) === '$optional') {
        throw new NodeError(valueAt, '$optional cannot be nested directly in $optional');
      }
      optional = true;
    }
    keys.push(key);
    members.push(compileNode(valueNode, valueAt));
    probs.push(p);
    omitEmpty.push(omit);
  }
  if (!optional && members.every((c) => c.constant)) {
    const value: Record<string, unknown> = {};
    keys.forEach((k, i) => (value[k] = (members[i] as { value: unknown }).value));
    return constant(value);
  }
  const gens = members.map(asGen);
  const n = keys.length;
  // A typed array: a plain one would hold small integers in one structure and fractions in
  // another, two shapes for the one function that reads them all.
  const chances = Float64Array.from(probs);
  return generated((s) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const p = chances[i]!;
      if (p < 1 && !s.rng.chance(p)) continue;
      const v = (gens[i] as Gen)(s);
      if (omitEmpty[i] && (v === '' || (Array.isArray(v) && v.length === 0))) continue;
      out[keys[i] as string] = v;
    }
    return out;
  });
}

function list(item: Gen, min: number, max: number): Gen {
  return (s) => {
    const n = min === max ? min : s.rng.int(min, max);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(s);
    return out;
  };
}

function uniqueList(item: Gen, min: number, max: number): Gen {
  return (s) => {
    const n = min === max ? min : s.rng.int(min, max);
    const out: unknown[] = [];
    const seen = new Set<unknown>();
    // Bounded retries: a small value space yields a shorter list rather than a hang.
    for (let tries = 0; out.length < n && tries < n * 10 + 10; tries++) {
      const v = item(s);
      const key = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
    return out;
  };
}

/**
 * A random subset of `items` of size min..max (capped at the list's length), in the list's order
 * (selection sampling, Knuth's algorithm S).
 */
export function sample<T>(rng: Rng, items: readonly T[], min: number, max: number): T[] {
  const n = items.length;
  const lo = Math.min(min, n);
  const hi = Math.min(max, n);
  let k = lo === hi ? lo : rng.int(lo, hi);
  // Taking every item draws nothing. It goes through the same loop rather than a shortcut of its
  // own (docs/hot-path.md, rule 4).
  const all = k === n;
  const out: T[] = [];
  for (let i = 0; i < n && k > 0; i++) {
    if (all || rng.next() * (n - i) < k) {
      out.push(items[i] as T);
      k--;
    }
  }
  return out;
}

/** Whether a node always produces an object (a structure, or a `$oneOf` of such). */
export function producesObject(node: unknown): boolean {
  if (!isPlainObject(node)) return false;
  const keys = Object.keys(node);
  if (!keys.some((k) => k.startsWith('$'))) return true;
  if ('$timeRange' in node) return true;
  if (Array.isArray(node.$oneOf)) return node.$oneOf.every(producesObject);
  return false;
}
