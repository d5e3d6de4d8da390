import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as validateTemplateJson } from '../generated/validators/template.js';
import { UsageError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import type { RenderContext } from './context.js';
import {
  asGen,
  compileFormat,
  compileNode,
  NodeError,
  producesObject,
  type EventRefs,
  type Gen,
  type RenderState,
} from './generators.js';

export type { EventRefs } from './generators.js';

/** Who plausibly makes a call: people at the console or CLI, automation (IaC, CI), AWS services. */
export type Caller = 'human' | 'automation' | 'service';

/** `organization` calls come only from an organization's management or delegated-admin account. */
export type TemplateScope = 'account' | 'organization';

/** An error code a call may fail with, and its weight relative to the operation's other errors. */
export interface ErrorChoice {
  code: string;
  weight: number;
}

/** The operation-specific part of a record. */
export interface RenderedParameters {
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
}

/**
 * A template compiled for the hot path: all checks, path lookups and constant subtrees are done at
 * load time; `render` only draws what varies per event.
 */
export interface CompiledTemplate {
  readonly file: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly apiVersion: string | null;
  readonly readOnly: boolean;
  readonly weight: number;
  readonly scope: TemplateScope;
  readonly callers: readonly Caller[];
  readonly errors: readonly ErrorChoice[];
  /** Kinds of world entity that must exist at the event time for the call to make sense. */
  readonly requires: readonly string[];
  /** World changes (`entity.event`, e.g. `channel.create`) this operation carries out. */
  readonly lifecycle: readonly string[];
  /** Rendered only for the world changes in `lifecycle`, never drawn at random. */
  readonly scheduledOnly: boolean;
  /**
   * Renders requestParameters and responseElements. `refs` memoises world lookups for the event:
   * pass the same map to `resource` so that an AccessDenied message names the same entity.
   * `change` is the world change the call carries out (one of `lifecycle`), if any.
   * A structure that renders with no members becomes null (CloudTrail logs null for a request
   * without parameters).
   */
  render(ctx: RenderContext, rng: Rng, refs?: EventRefs, change?: string): RenderedParameters;
  /** The resource an AccessDenied message names, e.g. `arn:aws:devops-guru:us-east-1:111122223333:*`. */
  resource(ctx: RenderContext, rng: Rng, refs: EventRefs): string;
}

/** A template that cannot be used; the message is one line: `<file>: <json path>: <problem>`. */
export class TemplateError extends UsageError {
  readonly file: string;
  readonly jsonPath: string;

  constructor(file: string, jsonPath: string, message: string) {
    super(`${file}: ${jsonPath || '/'}`, message.replace(/\s*\n\s*/g, ' '));
    this.file = file;
    this.jsonPath = jsonPath || '/';
  }
}

/** The package root: two levels up from `src/render/` (vitest) or `dist/render/` (built). */
function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The templates shipped with trailsim. */
export function defaultTemplateDir(): string {
  return join(packageRoot(), 'templates');
}

/** The JSON Schema every template file is validated against. */
export function templateSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'template.schema.json');
}

const ENVELOPE_NODES = ['/requestParameters', '/responseElements', '/lifecycle/'];

function serviceOf(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, '');
}

/**
 * Compiles one parsed template (already valid against schemas/template.schema.json).
 * @throws TemplateError naming the file and JSON path of the first problem
 */
export function compileTemplate(json: unknown, file: string): CompiledTemplate {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TemplateError(file, '/', 'a template must be a JSON object');
  }
  const t = json as Record<string, unknown>;
  try {
    const nodeOf = (node: unknown, where: string): Gen => {
      if (node !== null && !producesObject(node)) {
        throw new NodeError(where, 'must be null or an object (a structure, or a $oneOf of structures)');
      }
      const gen = asGen(compileNode(node, where));
      return (s) => {
        const v = gen(s) as Record<string, unknown> | null;
        return v === null || isEmpty(v) ? null : v;
      };
    };
    const request = nodeOf(t.requestParameters, '/requestParameters');
    const response = nodeOf(t.responseElements, '/responseElements');
    const changes = new Map<string, Gen>();
    for (const [change, node] of Object.entries((t.lifecycle ?? {}) as Record<string, unknown>)) {
      changes.set(change, node === true ? request : nodeOf(node, `/lifecycle/${change}`));
    }
    const scheduledOnly = t.scheduledOnly === true;
    if (scheduledOnly && changes.size === 0) {
      throw new NodeError('/scheduledOnly', 'a scheduledOnly template needs at least one lifecycle change');
    }
    const eventSource = String(t.eventSource);
    const resourceFormat =
      typeof t.resource === 'string'
        ? t.resource
        : `arn:{partition}:${serviceOf(eventSource)}:{region}:{account.id}:*`;
    const resource = compileFormat(resourceFormat, '/resource');
    const errors = Object.entries((t.errors ?? {}) as Record<string, number>)
      .filter(([, weight]) => weight > 0)
      .map(([code, weight]) => ({ code, weight }));
    const state = (ctx: RenderContext, rng: Rng, refs: EventRefs): RenderState => ({ ctx, rng, refs });
    const requestFor = new Map<string | undefined, Gen>([[undefined, request], ...changes]);
    return {
      file,
      eventSource,
      eventName: String(t.eventName),
      apiVersion: typeof t.apiVersion === 'string' ? t.apiVersion : null,
      readOnly: t.readOnly === true,
      weight: Number(t.weight),
      scope: (t.scope ?? 'account') as TemplateScope,
      callers: Object.freeze([...(t.callers as Caller[])]),
      errors: Object.freeze(errors),
      requires: Object.freeze([...((t.requires ?? []) as string[])]),
      lifecycle: Object.freeze([...changes.keys()]),
      scheduledOnly,
      render(ctx, rng, refs = new Map(), change) {
        const s = state(ctx, rng, refs);
        // Looked up for every call, a call drawn at random (no change) included: a planned call,
        // first met hours into a run, then runs no code here that V8 has not seen before.
        const req = requestFor.get(change);
        if (!req) throw new Error(`trailsim: ${file} does not carry out the world change ${change}`);
        return {
          requestParameters: req(s) as Record<string, unknown> | null,
          responseElements: response(s) as Record<string, unknown> | null,
        };
      },
      resource(ctx, rng, refs) {
        return resource(state(ctx, rng, refs));
      },
    };
  } catch (err) {
    if (err instanceof NodeError) throw new TemplateError(file, err.jsonPath, err.message);
    throw err;
  }
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

function describeAjvError(e: ErrorObject): { path: string; message: string } {
  const at = e.instancePath || '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: `${at}/${String(p.additionalProperty)}`,
        message: `unknown key "${String(p.additionalProperty)}"`,
      };
    case 'required':
      return { path: at || '/', message: `missing required key "${String(p.missingProperty)}"` };
    case 'enum':
      return { path: at, message: `must be one of ${JSON.stringify(p.allowedValues)}` };
    case 'propertyNames':
      return { path: at, message: `bad key "${String(p.propertyName)}"` };
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}

/**
 * The template schema's validator, compiled ahead of time by `npm run gen:validators` (ajv
 * standalone code): starting a run costs neither loading ajv nor compiling the schema.
 */
function createValidator(): ValidateFunction {
  return validateTemplateJson as unknown as ValidateFunction;
}

function loadTemplateFile(file: string, validate: ValidateFunction): CompiledTemplate {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateError(file, '/', `not valid JSON: ${(err as Error).message}`);
  }
  if (!validate(json)) {
    const first = (validate.errors ?? [])[0];
    // Inside a value node the compiler knows better than a failed anyOf what is wrong.
    if (first && ENVELOPE_NODES.some((n) => first.instancePath.startsWith(n))) compileTemplate(json, file);
    const { path, message } = first ? describeAjvError(first) : { path: '/', message: 'is invalid' };
    throw new TemplateError(file, path, message);
  }
  return compileTemplate(json, file);
}

function listJsonFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch (err) {
    throw new UsageError(dir, `cannot read the template folder: ${(err as Error).message}`);
  }
  return names
    .filter((n) => n.endsWith('.json') && statSync(join(dir, n)).isFile())
    .map((n) => n.split(sep).join('/'))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Loads, validates and compiles every `*.json` template under the folders (recursively). A later
 * folder overrides an earlier one for the same eventSource and eventName; two templates for the
 * same event in one folder are an error. The result is sorted by eventSource, then eventName.
 *
 * @example loadTemplates([defaultTemplateDir(), './my-templates'])
 * @throws TemplateError for the first bad template
 */
export function loadTemplates(dirs: readonly string[]): CompiledTemplate[] {
  const validate = createValidator();
  const byEvent = new Map<string, CompiledTemplate>();
  for (const dir of dirs) {
    const inThisDir = new Map<string, string>();
    const files = listJsonFiles(dir);
    // A folder given for templates that holds none is a wrong path, not a choice.
    if (files.length === 0) throw new UsageError(dir, 'holds no *.json template');
    for (const file of files) {
      const t = loadTemplateFile(file, validate);
      const key = `${t.eventSource} ${t.eventName}`;
      const other = inThisDir.get(key);
      if (other !== undefined) {
        throw new TemplateError(
          file,
          '/eventName',
          `${t.eventName} already has a template in this folder: ${relative(dir, other)}`,
        );
      }
      inThisDir.set(key, file);
      byEvent.set(key, t);
    }
  }
  return [...byEvent.values()].sort((a, b) =>
    a.eventSource === b.eventSource ? cmp(a.eventName, b.eventName) : cmp(a.eventSource, b.eventSource),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
