import type { TagRef } from './context.js';
import { NodeError, type RenderState } from './node.js';

/**
 * Context paths: the names a `$ref`, a `$format` placeholder or a `$sample` reads from the event's
 * context and its world view.
 */

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

export function pathGetter(path: unknown, where: string, want?: PathKind): (s: RenderState) => unknown {
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
