import type { Rng } from '../shared/rng.js';
import { compileFormatString } from '../shared/format-string.js';
import { ServiceError } from './service.js';

/**
 * The small vocabulary a service description draws an entity's fields with (`missing`, a
 * population's `fields`, a planned create's `fields`): compiled once at load into closures, so that
 * drawing an entity walks no JSON. See docs/service-folder.md.
 */

/** What a field is drawn in: the account and Region, the time, and the Region's entities so far. */
export interface DrawContext {
  readonly rng: Rng;
  readonly region: string;
  readonly accountId: string;
  readonly env: string;
  /** Epoch ms: the call's time, or the start of the period when the world is drawn. */
  readonly time: number;
  /** Keys of the account's entities in the Region, by kind index (those drawn so far). */
  readonly keys: readonly (readonly string[] | undefined)[];
  /** The fields of the entity being drawn, those drawn so far. */
  readonly own?: Readonly<Record<string, unknown>>;
}

export type Draw = (c: DrawContext) => unknown;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * IDs of 64 characters of base64url-like text starting with `A`, with a run of `A`s in the middle
 * where a service encodes small numbers.
 */
function zeroRun64(rng: Rng): string {
  const head = rng.chars(21, BASE64URL);
  const zeros = 'A'.repeat(rng.int(4, 9));
  return `A${head}${zeros}${rng.chars(64 - 22 - zeros.length, BASE64URL)}`;
}

/** ID formats by name (`{"$id": "uuid"}`). */
export const ID_FORMATS: Readonly<Record<string, (rng: Rng) => string>> = Object.freeze({
  uuid: (rng: Rng) => rng.uuid(),
  zeroRun64,
});

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A period such as `30d` in milliseconds (the schema has checked its shape). */
export function periodMs(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
}

/** The place a spec is compiled for, to name it in an error. */
export interface SpecSite {
  readonly file: string;
  readonly path: string;
  /** Index of an entity kind by name, or undefined when the service declares none. */
  readonly kindIndex: (name: string) => number | undefined;
  /** Fields of the same entity drawn before this one, which a format may name. */
  readonly earlier?: readonly string[];
}

/**
 * Compiles a format string: `{region}`, `{account.id}`, `{account.env}`, `{$uuid}`, `{a|b|c}`
 * (one of the words, drawn) and `{field}`, a field of the same entity drawn before this one. `{{`
 * and `}}` are literal braces.
 */
export function compileFieldFormat(text: string, site: SpecSite): Draw {
  return compileFormatString<DrawContext>(
    text,
    (name) => placeholder(name, site),
    (problem) => {
      throw new ServiceError(site.file, site.path, problem);
    },
  );
}

function placeholder(name: string, site: SpecSite): Draw {
  if (site.earlier?.includes(name)) return (c) => c.own?.[name];
  switch (name) {
    case 'region':
      return (c) => c.region;
    case 'account.id':
      return (c) => c.accountId;
    case 'account.env':
      return (c) => c.env;
    case '$uuid':
      return (c) => c.rng.uuid();
  }
  if (name.includes('|')) {
    const words = name.split('|');
    return (c) => c.rng.pick(words);
  }
  const known = ['region', 'account.id', 'account.env', '$uuid', ...(site.earlier ?? []), 'a|b|…'];
  throw new ServiceError(site.file, site.path, `unknown placeholder {${name}} (known: ${known.join(', ')})`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles one field spec (the schema has checked its shape). */
export function compileFieldSpec(spec: unknown, site: SpecSite): Draw {
  if (typeof spec === 'string') return spec.includes('{') ? compileFieldFormat(spec, site) : () => spec;
  if (!isObject(spec)) return () => spec;
  if (typeof spec.$id === 'string') {
    const make = ID_FORMATS[spec.$id];
    if (!make) throw new ServiceError(site.file, `${site.path}/$id`, `unknown ID format "${spec.$id}"`);
    return (c) => make(c.rng);
  }
  if (typeof spec.$ago === 'string') {
    const ms = periodMs(spec.$ago);
    return (c) => c.time - ms;
  }
  if (typeof spec.$key === 'string') {
    const index = site.kindIndex(spec.$key);
    if (index === undefined)
      throw new ServiceError(site.file, `${site.path}/$key`, `unknown entity kind "${spec.$key}"`);
    if (spec.list === true)
      return (c) => {
        const keys = c.keys[index] ?? [];
        return keys.length > 0 ? [c.rng.pick(keys)] : [];
      };
    return (c) => {
      const keys = c.keys[index] ?? [];
      return keys.length > 0 ? c.rng.pick(keys) : null;
    };
  }
  if (Array.isArray(spec.$enum)) {
    const values = spec.$enum.slice();
    const w = spec.weights;
    if (w === undefined) return (c) => c.rng.pick(values);
    if (!Array.isArray(w) || w.length !== values.length)
      throw new ServiceError(site.file, `${site.path}/weights`, `needs ${values.length} weights`);
    const weights = Float64Array.from(w as number[]);
    return (c) => c.rng.weighted(values, weights);
  }
  if ('$list' in spec) {
    const item = compileFieldSpec(spec.$list, { ...site, path: `${site.path}/$list` });
    return (c) => [item(c)];
  }
  throw new ServiceError(site.file, site.path, 'not a field spec');
}

/** Compiled field specs, drawn in their order into one object of field values. */
export type DrawFields = (c: DrawContext) => Record<string, unknown>;

/**
 * Compiles a set of field specs. Every name must be a field of the kind (`fields`).
 * @throws ServiceError naming the file and JSON path of the first problem
 */
export function compileFields(
  specs: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  site: SpecSite,
): DrawFields {
  const names: string[] = [];
  const draws: Draw[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!fields.includes(name))
      throw new ServiceError(
        site.file,
        `${site.path}/${name}`,
        `"${name}" is not a field of the entity (its fields: ${fields.join(', ')})`,
      );
    draws.push(compileFieldSpec(spec, { ...site, path: `${site.path}/${name}`, earlier: names.slice() }));
    names.push(name);
  }
  return (c) => {
    const out: Record<string, unknown> = {};
    const own: DrawContext = { ...c, own: out };
    for (let i = 0; i < names.length; i++) out[names[i]!] = draws[i]!(own);
    return out;
  };
}
