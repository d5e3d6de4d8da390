import { compileFormatString } from '../shared/format-string.js';
import { NodeError, type RenderState } from './node.js';

/**
 * Context paths: the names a `$ref`, a `$format` placeholder or a `$sample` reads. A few are the
 * call's own (its Region, account, caller, time, the organization); the rest name an entity of the
 * world by kind and field, as the service description declares them: `insight.id` is a field of the
 * call's insight, `stack[].name` the names of every stack that exists. Entity paths are checked
 * against the service descriptions when the templates are (render/service-check.ts).
 */

/** What a context path yields, so that misuse (`$sample` of a string) fails at load time. */
export type PathKind = 'string' | 'number' | 'list' | 'value';

interface PathDef {
  kind: PathKind;
  get: (s: RenderState) => unknown;
}

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
  'organization.accountIds': { kind: 'list', get: (s) => copy(s.ctx.world.organizationAccountIds()) },
  'organization.unitIds': { kind: 'list', get: (s) => copy(s.ctx.world.organizationalUnitIds()) },
};

/** The call's own paths, with the kind of value each yields. Every other path names an entity. */
export const KNOWN_PATHS: Readonly<Record<string, PathKind>> = Object.freeze(
  Object.fromEntries(Object.entries(PATHS).map(([p, d]) => [p, d.kind])),
);

/** `<entity>.<field>` or `<entity>[].<field>`. */
const ENTITY_PATH = /^([a-z][a-zA-Z0-9]*)(\[\])?\.([a-zA-Z][a-zA-Z0-9]*)$/;

/** An entity path taken apart: its kind, its field, and whether it lists every entity. */
export interface EntityPath {
  readonly kind: string;
  readonly field: string;
  readonly all: boolean;
}

/** The entity a path names, or null for one of the call's own paths or a malformed one. */
export function entityPath(path: string): EntityPath | null {
  if (path in PATHS) return null;
  const m = ENTITY_PATH.exec(path);
  return m ? { kind: m[1]!, field: m[3]!, all: m[2] !== undefined } : null;
}

/**
 * Resolves a world lookup at most once per event, so that every path naming the same entity names
 * the same one, whatever the world view does.
 */
function once<T>(key: string, load: (s: RenderState) => T): (s: RenderState) => T {
  return (s) => {
    const refs = s.refs;
    if (refs.has(key)) return refs.get(key) as T;
    const v = load(s);
    refs.set(key, v);
    return v;
  };
}

function entityGetter(p: EntityPath): (s: RenderState) => unknown {
  const { kind, field } = p;
  if (p.all) {
    const values = once(`${kind}[].${field}`, (s) => s.ctx.world.values(kind, field));
    return (s) => copy(values(s));
  }
  const entity = once(kind, (s) => s.ctx.world.entity(kind));
  return (s) => {
    const v = entity(s)[field];
    return Array.isArray(v) ? copy(v) : v;
  };
}

export function pathGetter(path: unknown, where: string, want?: PathKind): (s: RenderState) => unknown {
  if (typeof path !== 'string') throw new NodeError(where, 'a context path must be a string');
  const def = PATHS[path];
  if (def) {
    if (want === 'list' && def.kind !== 'list') throw new NodeError(where, `"${path}" is not a list`);
    if (want === 'string' && def.kind === 'list')
      throw new NodeError(where, `"${path}" is a list, not a string`);
    return def.get;
  }
  const e = entityPath(path);
  if (!e)
    throw new NodeError(
      where,
      `unknown context path "${path}" (known: ${Object.keys(PATHS).join(', ')}, or <entity>.<field>, <entity>[].<field>)`,
    );
  if (want === 'string' && e.all) throw new NodeError(where, `"${path}" is a list, not a string`);
  return entityGetter(e);
}

/**
 * Compiles a `{path}` format string into a function. Placeholders are context paths; `{{` and `}}`
 * stand for literal braces.
 *
 * @example compileFormat('arn:{partition}:sns:{region}:{account.id}:ops-alerts', '/resource')
 */
export function compileFormat(format: string, where: string): (s: RenderState) => string {
  return compileFormatString(
    format,
    (name) => pathGetter(name, where, 'string'),
    (problem) => {
      throw new NodeError(where, problem);
    },
  );
}
