import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { validate as validateTemplateJson } from '../generated/validators/template.js';
import { UsageError } from '../shared/errors.js';
import type { Rng } from '../shared/rng.js';
import type { RenderContext } from './context.js';
import { SERVICE_FILE, templateFolderFiles } from '../world/service.js';
import { describeAjvError } from '../shared/ajv-error.js';
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
import { templatePaths, type PathUse } from './template-paths.js';
import { splitPageToken } from './page-token.js';

export type { EventRefs } from './generators.js';

import type { Caller, ErrorChoice, OperationInfo, TemplateScope } from '../behaviour/operation.js';

export type { Caller, ErrorChoice, TemplateScope };

/** The operation-specific part of a record. */
export interface RenderedParameters {
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
}

/**
 * A template compiled for the hot path: all checks, path lookups and constant subtrees are done at
 * load time; `render` only draws what varies per event.
 */
export interface CompiledTemplate extends OperationInfo {
  readonly file: string;
  readonly apiVersion: string | null;
  /** The context paths the template reads, checked against its service's entities at load. */
  readonly paths: readonly PathUse[];
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
  /**
   * A following page's request: the first page's parameters with a new page token (page-token.ts).
   * Only for a `paginated` template.
   */
  nextPage(
    first: Record<string, unknown> | null,
    ctx: RenderContext,
    rng: Rng,
    refs: EventRefs,
  ): Record<string, unknown>;
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
    const paged = splitPageToken(t.requestParameters);
    const request = nodeOf(paged.request, '/requestParameters');
    const tokenName = paged.name;
    const token =
      tokenName === undefined
        ? undefined
        : asGen(compileNode(paged.token, `/requestParameters/${tokenName}`));
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
      paths: Object.freeze(templatePaths(t)),
      readOnly: t.readOnly === true,
      weight: Number(t.weight),
      scope: (t.scope ?? 'account') as TemplateScope,
      callers: Object.freeze([...(t.callers as Caller[])]),
      errors: Object.freeze(errors),
      requires: Object.freeze([...((t.requires ?? []) as string[])]),
      lifecycle: Object.freeze([...changes.keys()]),
      scheduledOnly,
      paginated: token !== undefined,
      render(ctx, rng, refs = new Map(), change) {
        const s = state(ctx, rng, refs);
        // Looked up for every call, a call drawn at random (no change) included (docs/hot-path.md,
        // rule 4).
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
      nextPage(first, ctx, rng, refs) {
        if (!token || tokenName === undefined) throw new Error(`trailsim: ${file} has no page token`);
        return { ...first, [tokenName]: token(state(ctx, rng, refs)) };
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

/** Incident playbooks share the template folders (src/incidents/playbooks.ts), under their own suffix. */
export const PLAYBOOK_SUFFIX = '.playbook.json';

function listJsonFiles(dir: string): string[] {
  return templateFolderFiles(
    dir,
    (name) => name.endsWith('.json') && name !== SERVICE_FILE && !name.endsWith(PLAYBOOK_SUFFIX),
  );
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
