import type { Rng } from '../shared/rng.js';
import type { Population } from '../generated/service.js';
import { makeInstance, type EntityKind, type EntityRegistry } from './entity-registry.js';
import { ID_FORMATS, periodMs, type DrawContext } from './field-specs.js';
import type { Instance } from './refs.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An entity opening that raises people's activity (a kind's `alerts`): see plan/curve.ts. */
export interface Alert {
  /** Epoch ms when it opened. */
  readonly time: number;
  /** Whether it pages someone at any hour (else it is looked at during working hours). */
  readonly pages: boolean;
}

/** The entities of one account in one Region, by kind index, drawn with the world. */
export interface RegionResources {
  /** Instances of each kind that exist before the period or open during it, oldest first. */
  readonly instances: readonly (readonly Instance[])[];
  /** Their keys, for drawing references to them. */
  readonly keys: readonly (readonly string[])[];
  /** Openings that raise activity, by time. */
  readonly alerts: readonly Alert[];
}

/** Where a Region's entities are drawn. */
export interface RegionSite {
  readonly region: string;
  readonly accountId: string;
  readonly env: string;
  /** The account works here (its home or a secondary Region). */
  readonly active: boolean;
  readonly home: boolean;
  readonly start: number;
  readonly end: number;
}

const count = (c: number | number[] | undefined, rng: Rng): number =>
  c === undefined ? 0 : typeof c === 'number' ? c : rng.int(c[0]!, c[1]!);

/** `count` instances of the population's fields; the first may differ (`first`). */
function list(kind: EntityKind, pop: Population, ctx: DrawContext, site: RegionSite): Instance[] {
  if (pop.where === 'active' && !site.active) return [];
  const n = count(site.active ? pop.count?.active : pop.count?.other, ctx.rng);
  const draw = kind.populationFields!;
  const out: Instance[] = [];
  for (let k = 0; k < n; k++) out.push(makeInstance(kind, (k === 0 ? draw.first : draw.rest)(ctx)));
  return out;
}

/** Fills a name pattern: {word}, {Word}, {env}, {a|b|…}. */
function fillPattern(pattern: string, word: string, env: string, rng: Rng): string {
  return pattern.replace(/\{([^}]*)\}/g, (_, name: string) => {
    if (name === 'word') return word;
    if (name === 'Word') return `${word[0]!.toUpperCase()}${word.slice(1)}`;
    if (name === 'env') return env;
    return rng.pick(name.split('|'));
  });
}

/** Unique names, each a first word and a pattern drawn for it; sorted. */
function names(kind: EntityKind, pop: Population, ctx: DrawContext, site: RegionSite): Instance[] {
  if (pop.skipEnvs?.includes(site.env)) return [];
  const env = pop.envNames?.[site.env] ?? site.env;
  const n = count(site.active ? pop.count?.active : pop.count?.other, ctx.rng);
  const words = pop.words ?? [];
  const patterns = pop.patterns ?? ['{word}'];
  const found = new Set<string>();
  while (found.size < n) {
    const word = ctx.rng.pick(words);
    const pattern = patterns[ctx.rng.int(0, patterns.length - 1)]!;
    found.add(fillPattern(pattern, word, env, ctx.rng));
  }
  return [...found].sort().map((name) => makeInstance(kind, { [kind.key]: name }));
}

/** One tag: a key drawn from `keys`, with a few of `words` as values. */
function tagSets(kind: EntityKind, pop: Population, ctx: DrawContext): Instance[] {
  const [keyField, valuesField] = kind.fields;
  const key = ctx.rng.pick(pop.keys ?? ['key']);
  const [min, max] = pop.values ?? [1, 1];
  const values = ctx.rng
    .shuffle([...(pop.words ?? [])])
    .slice(0, ctx.rng.int(min!, max!))
    .sort();
  return [makeInstance(kind, { [keyField!]: key, [valuesField!]: values })];
}

/**
 * Instances opening at random over the history before the period and the period itself, at
 * `perDay`: each of a variant drawn by chance, open for a drawn number of hours, with child IDs.
 */
function timeline(kind: EntityKind, pop: Population, ctx: DrawContext, site: RegionSite): Instance[] {
  const life = kind.lifetime!;
  const rng = ctx.rng;
  const from = site.start - periodMs(pop.history ?? '0s');
  const to = site.end;
  const perDay = site.active ? (site.home ? pop.perDay!.home : pop.perDay!.active) : pop.perDay!.other;
  const variants = pop.variants ?? [];
  const children = pop.children!;
  const childId = ID_FORMATS[children.id]!;
  const days = Math.max(1, (to - from) / DAY);
  const n = Math.max(1, Math.round(days * perDay * (0.5 + rng.next())));
  const draw = kind.populationFields!.rest;
  const out: Instance[] = [];
  for (let i = 0; i < n; i++) {
    const opens = Math.floor((from + rng.next() * (to - from)) / 1000) * 1000;
    let v = variants.length - 1;
    for (let k = 0; k < variants.length - 1; k++)
      if (rng.chance(variants[k]!.p ?? 0)) {
        v = k;
        break;
      }
    const variant = variants[v]!;
    const r = variant.hours.squared ? rng.next() * rng.next() : rng.next();
    const hours = variant.hours.min + r * variant.hours.spread;
    const closes = opens + Math.floor((hours * HOUR) / 1000) * 1000;
    const ids: string[] = [];
    const m = rng.int(1, variant.children);
    for (let k = 0; k < m; k++) ids.push(childId(rng));
    out.push(
      makeInstance(kind, {
        ...variant.set,
        [life.opens]: opens,
        [life.closes]: closes,
        [children.field]: ids,
        ...draw(ctx),
      }),
    );
  }
  out.sort((a, b) => a.opensAt - b.opensAt || (a.key < b.key ? -1 : 1));
  return out;
}

/** The alerts of a Region's instances, by time. */
function alertsOf(registry: EntityRegistry, instances: readonly (readonly Instance[])[]): Alert[] {
  const out: Alert[] = [];
  for (const kind of registry.kinds) {
    const a = kind.alerts;
    if (!a) continue;
    for (const i of instances[kind.index]!) {
      const v = i.open[a.field];
      if (a.page.has(v)) out.push({ time: i.opensAt, pages: true });
      else if (a.work.has(v)) out.push({ time: i.opensAt, pages: false });
    }
  }
  return out.sort((x, y) => x.time - y.time);
}

/**
 * Draws an account's entities in one Region, kind by kind in the registry's order (a kind may
 * refer to the keys of one drawn before it), each by its population's style.
 */
export function populateRegion(registry: EntityRegistry, rng: Rng, site: RegionSite): RegionResources {
  const instances: Instance[][] = [];
  const keys: string[][] = [];
  const ctx: DrawContext = {
    rng,
    region: site.region,
    accountId: site.accountId,
    env: site.env,
    time: site.start,
    keys,
  };
  for (const kind of registry.kinds) {
    const pop = kind.population;
    let drawn: Instance[] = [];
    if (pop?.style === 'list') drawn = list(kind, pop, ctx, site);
    else if (pop?.style === 'names') drawn = names(kind, pop, ctx, site);
    else if (pop?.style === 'tagSets') drawn = tagSets(kind, pop, ctx);
    else if (pop?.style === 'timeline') drawn = timeline(kind, pop, ctx, site);
    instances.push(drawn);
    keys.push(drawn.map((i) => i.key));
  }
  return { instances, keys, alerts: alertsOf(registry, instances) };
}
