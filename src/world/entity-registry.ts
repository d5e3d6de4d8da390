import type { Entity, PlannedChange, Population } from '../generated/service.js';
import { ServiceError, type ServiceCatalog } from './service.js';
import { compileFields, type DrawContext, type DrawFields, type SpecSite } from './field-specs.js';
import type { EntityRef, Instance } from './refs.js';

/**
 * The entity registry: every kind of entity the run's services declare (`entities` in each
 * service.json), resolved once at start-up into what the world, the plan of changes, the world
 * view and the template checks read. The engine knows no kind by name; a service's kinds are its
 * data.
 */

/** What a field holds, as templates may use it: `$sample` needs a list, a format a scalar. */
export type FieldKind = 'string' | 'number' | 'list' | 'value';

export interface EntityKind {
  readonly name: string;
  /** Position in the registry: world lists and view caches are indexed by it. */
  readonly index: number;
  /** The service description that declares it. */
  readonly file: string;
  readonly fields: readonly string[];
  readonly fieldKinds: ReadonlyMap<string, FieldKind>;
  readonly key: string;
  readonly events: ReadonlySet<string>;
  /** How a call picks among the instances that exist. */
  readonly pick: 'uniform' | 'single' | { readonly recent: number; readonly p: number };
  readonly wildcard: string | null;
  readonly lifetime: {
    readonly opens: string;
    readonly closes: string;
    readonly open: Readonly<Record<string, unknown>>;
    readonly closed: Readonly<Record<string, unknown>>;
  } | null;
  readonly alerts: {
    readonly field: string;
    readonly page: ReadonlySet<unknown>;
    readonly work: ReadonlySet<unknown>;
  } | null;
  /** For a kind whose instances are IDs listed by another's: that kind and its list field. */
  readonly of: { readonly kind: EntityKind; readonly field: string } | null;
  /** Draws the entity a call names when none exists; null when the kind declares none. */
  readonly missing: ((c: DrawContext) => EntityRef) | null;
  readonly population: Population | null;
  /** The population's `fields` (and `first` on top of them) compiled; null without a population. */
  readonly populationFields: { readonly rest: DrawFields; readonly first: DrawFields } | null;
}

/** A change the world plans in each account and Region (the service description's `changes`). */
export interface ChangeSpec {
  readonly kind: EntityKind;
  readonly event: string;
  readonly p: number;
  readonly within: number;
  readonly needs: EntityKind | null;
  readonly fields: DrawFields | null;
  readonly undo: { readonly event: string; readonly p: number } | null;
  readonly of: 'closed' | null;
  readonly byPerson: boolean;
}

export interface EntityRegistry {
  readonly kinds: readonly EntityKind[];
  readonly byName: ReadonlyMap<string, EntityKind>;
  readonly changes: readonly ChangeSpec[];
}

/** Lays out an entity's fields in its kind's order, every field present (docs/hot-path.md, rule 3). */
export function layout(kind: EntityKind, values: Readonly<Record<string, unknown>>): EntityRef {
  const out: Record<string, unknown> = {};
  for (const f of kind.fields) out[f] = values[f] ?? null;
  return out;
}

/** An instance of a kind from its field values, with its open and closed states built once. */
export function makeInstance(kind: EntityKind, values: Readonly<Record<string, unknown>>): Instance {
  const ref = layout(kind, values);
  const key = String(ref[kind.key]);
  const life = kind.lifetime;
  if (!life) return { key, open: ref, closed: ref, opensAt: -Infinity, closesAt: Infinity };
  const closesAt = ref[life.closes];
  return {
    key,
    open: layout(kind, { ...ref, ...life.open }),
    closed: layout(kind, { ...ref, ...life.closed }),
    opensAt: Number(ref[life.opens]),
    closesAt: typeof closesAt === 'number' ? closesAt : Infinity,
  };
}

function kindOf(
  entity: Entity,
  name: string,
  index: number,
  file: string,
  indexOf: (name: string) => number | undefined,
): Omit<EntityKind, 'of' | 'missing'> & {
  ofName: string | null;
  ofField: string | null;
  missingFields: DrawFields | null;
} {
  const at = `/entities/${name}`;
  const site = (path: string): SpecSite => ({ file, path, kindIndex: indexOf });
  const declared = entity.of ? { id: 'string' } : (entity.fields ?? { id: 'string' });
  const fields = Object.keys(declared);
  const fieldKinds = new Map(Object.entries(declared) as [string, FieldKind][]);
  const need = (field: string, path: string): void => {
    if (!fieldKinds.has(field))
      throw new ServiceError(
        file,
        path,
        `"${field}" is not a field of ${name} (its fields: ${fields.join(', ')})`,
      );
  };
  const key = entity.key ?? 'id';
  need(key, `${at}/key`);
  const lifetime = entity.lifetime
    ? {
        opens: entity.lifetime.opens,
        closes: entity.lifetime.closes,
        open: entity.lifetime.open as Record<string, unknown>,
        closed: entity.lifetime.closed as Record<string, unknown>,
      }
    : null;
  if (lifetime) {
    need(lifetime.opens, `${at}/lifetime/opens`);
    need(lifetime.closes, `${at}/lifetime/closes`);
    for (const f of Object.keys(lifetime.open)) need(f, `${at}/lifetime/open/${f}`);
    for (const f of Object.keys(lifetime.closed)) need(f, `${at}/lifetime/closed/${f}`);
  }
  if (entity.alerts && !lifetime)
    throw new ServiceError(file, `${at}/alerts`, 'alerts need a lifetime (when an instance opens)');
  if (entity.alerts) need(entity.alerts.field, `${at}/alerts/field`);
  const missingFields = entity.missing ? compileFields(entity.missing, fields, site(`${at}/missing`)) : null;
  const pop = entity.population ?? null;
  const rest = pop ? compileFields(pop.fields ?? {}, fields, site(`${at}/population/fields`)) : null;
  const first = pop?.first
    ? compileFields({ ...pop.fields, ...pop.first }, fields, site(`${at}/population/first`))
    : rest;
  const kind = {
    name,
    index,
    file,
    fields,
    fieldKinds,
    key,
    events: new Set(entity.events ?? []),
    pick: entity.pick ?? 'uniform',
    wildcard: entity.wildcard ?? null,
    lifetime,
    alerts: entity.alerts
      ? {
          field: entity.alerts.field,
          page: new Set<unknown>(entity.alerts.page ?? []),
          work: new Set<unknown>(entity.alerts.work ?? []),
        }
      : null,
    missingFields,
    population: pop,
    populationFields: rest && first ? { rest, first } : null,
    ofName: entity.of?.entity ?? null,
    ofField: entity.of?.field ?? null,
  };
  return kind;
}

function changeOf(
  c: PlannedChange,
  i: number,
  file: string,
  byName: ReadonlyMap<string, EntityKind>,
  indexOf: (name: string) => number | undefined,
): ChangeSpec {
  const at = `/changes/${i}`;
  const kind = byName.get(c.entity);
  if (!kind) throw new ServiceError(file, `${at}/entity`, `unknown entity kind "${c.entity}"`);
  const event = (e: string, path: string): string => {
    if (!kind.events.has(e))
      throw new ServiceError(
        file,
        path,
        `${c.entity} has no event "${e}" (its events: ${[...kind.events].join(', ') || 'none'})`,
      );
    return e;
  };
  event(c.event, `${at}/event`);
  if (c.undo) event(c.undo.event, `${at}/undo/event`);
  const needs = c.needs === undefined ? null : (byName.get(c.needs) ?? null);
  if (c.needs !== undefined && !needs)
    throw new ServiceError(file, `${at}/needs`, `unknown entity kind "${c.needs}"`);
  const create = c.event === 'create';
  if (!create && !c.of)
    throw new ServiceError(
      file,
      at,
      `a "${c.event}" change needs "of" (which existing ${c.entity} it changes)`,
    );
  if (c.of === 'closed' && !kind.lifetime)
    throw new ServiceError(file, `${at}/of`, `${c.entity} has no lifetime, so none closes`);
  return {
    kind,
    event: c.event,
    p: c.p,
    within: c.within ?? 1,
    needs,
    fields: create
      ? compileFields(c.fields ?? {}, kind.fields, { file, path: `${at}/fields`, kindIndex: indexOf })
      : null,
    undo: c.undo ?? null,
    of: c.of ?? null,
    byPerson: c.by === 'person',
  };
}

/**
 * Builds the registry of a run's services. A kind two services declare is an error.
 * @throws ServiceError naming the file and JSON path of the first problem
 */
export function buildEntityRegistry(catalog: ServiceCatalog): EntityRegistry {
  const services = [...new Set([catalog.primary, ...catalog.bySource.values()])];
  const declaredIn = new Map<string, string>();
  const order: string[] = [];
  for (const s of services)
    for (const name of Object.keys(s.description.entities)) {
      const other = declaredIn.get(name);
      if (other !== undefined)
        throw new ServiceError(
          s.file,
          `/entities/${name}`,
          `entity kind "${name}" is already declared by ${other}`,
        );
      declaredIn.set(name, s.file);
      order.push(name);
    }
  const indexOf = (name: string): number | undefined => {
    const i = order.indexOf(name);
    return i < 0 ? undefined : i;
  };
  const partial = services.flatMap((s) =>
    Object.entries(s.description.entities).map(([name, e]) =>
      kindOf(e, name, indexOf(name)!, s.file, indexOf),
    ),
  );
  const byName = new Map<string, EntityKind>();
  type Mutable = { -readonly [K in keyof EntityKind]: EntityKind[K] };
  const kinds: Mutable[] = partial.map((k) => {
    const { ofName: _n, ofField: _f, missingFields: _m, ...rest } = k;
    const kind: Mutable = { ...rest, of: null, missing: null };
    byName.set(k.name, kind);
    return kind;
  });
  for (const [i, k] of partial.entries()) {
    const kind = kinds[i]!;
    const draw = k.missingFields;
    if (draw) kind.missing = (c) => layout(kind, draw(c));
    if (k.ofName !== null) {
      const parent = byName.get(k.ofName);
      const at = `/entities/${k.name}/of`;
      if (!parent) throw new ServiceError(k.file, `${at}/entity`, `unknown entity kind "${k.ofName}"`);
      if (parent.fieldKinds.get(k.ofField!) !== 'list')
        throw new ServiceError(k.file, `${at}/field`, `"${k.ofField}" is not a list field of ${k.ofName}`);
      kind.of = { kind: parent, field: k.ofField! };
    }
  }
  const changes = services.flatMap((s) =>
    (s.description.changes ?? []).map((c, i) => changeOf(c, i, s.file, byName, indexOf)),
  );
  return { kinds, byName, changes };
}
