import { compileFormat, pathGetter } from './context-paths.js';
import { FAKER_METHODS } from './faker-methods.js';
import { list, sample, uniqueList } from './lists.js';
import {
  asGen,
  constant,
  generated,
  isPlainObject,
  NodeError,
  ptr,
  type Compiled,
  type Gen,
} from './node.js';
import { compileTimeRange, eventSecond, formatTime, parseOffset, timeFormat } from './time-format.js';

/**
 * The generator vocabulary of templates: each value node of a template is compiled once, at load
 * time, into a closure (`Gen`) that produces the value of one event. Nothing here walks the JSON
 * tree per event, parses a path or builds a regular expression per event.
 *
 * Constant subtrees are computed once and the same object is handed to every event. That is safe
 * because a rendered record is serialised right away and never mutated; code that keeps records
 * around must not mutate them either.
 */

export { compileFormat, KNOWN_PATHS, type PathKind } from './context-paths.js';
export { FAKER_METHODS } from './faker-methods.js';
export { sample } from './lists.js';
export { asGen, NodeError, type Compiled, type EventRefs, type Gen, type RenderState } from './node.js';
export { formatTime, parseOffset, type TimeFormat } from './time-format.js';

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

/** Whether a node always produces an object (a structure, or a `$oneOf` of such). */
export function producesObject(node: unknown): boolean {
  if (!isPlainObject(node)) return false;
  const keys = Object.keys(node);
  if (!keys.some((k) => k.startsWith('$'))) return true;
  if ('$timeRange' in node) return true;
  if (Array.isArray(node.$oneOf)) return node.$oneOf.every(producesObject);
  return false;
}
