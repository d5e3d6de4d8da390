import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ServiceDescription } from '../generated/service.js';
import { UsageError } from '../shared/errors.js';
import type { ErrorObject } from 'ajv';
import { validate as validateServiceJson } from '../generated/validators/service.js';
import { describeAjvError } from '../shared/ajv-error.js';

/** The name of a service description in a template folder, next to the service's templates. */
export const SERVICE_FILE = 'service.json';

/** A service description that cannot be used: one line, `<file>: <json path>: <problem>`. */
export class ServiceError extends UsageError {
  constructor(file: string, path: string, problem: string) {
    super(file, `${path}: ${problem}`);
  }
}

export type Placeholder =
  'callerArn' | 'service' | 'action' | 'resource' | 'member' | 'requestId' | 'value' | 'rule';
const PLACEHOLDERS: readonly Placeholder[] = [
  'callerArn',
  'service',
  'action',
  'resource',
  'member',
  'requestId',
  'value',
  'rule',
];

export interface CompiledText {
  /** Literal parts and placeholders, alternating, starting with a literal. */
  parts: readonly string[];
  since: number;
  until: number;
  fallback: boolean;
  usesRequestId: boolean;
  /** The failure's cause this text is for (see schemas/service.schema.json, errorText), or null. */
  cause: string | null;
}

/** A service description, loaded and checked, with what the engine derives from it once. */
export interface Service {
  readonly file: string;
  readonly description: ServiceDescription;
  /** Entity kinds and, for each, the changes the world may plan (`entity.event`). */
  readonly entityKinds: ReadonlySet<string>;
  readonly changes: ReadonlySet<string>;
  /** errorMessage texts by error code, compiled. */
  readonly errorTexts: ReadonlyMap<string, readonly CompiledText[]>;
  /** The folder of the operations' request schemas (`requestSchemas`, resolved), or null. */
  readonly requestSchemaDir: string | null;
}

/** Every service description of a run's template folders, by eventSource; the first is the default. */
export interface ServiceCatalog {
  readonly primary: Service;
  readonly bySource: ReadonlyMap<string, Service>;
}

/** The service a template of `eventSource` belongs to: its own description, or the primary one. */
export function serviceFor(catalog: ServiceCatalog, eventSource: string): Service {
  return catalog.bySource.get(eventSource) ?? catalog.primary;
}

/** The files under a template folder (recursively) whose names `keep` accepts, sorted by path. */
export function templateFolderFiles(dir: string, keep: (name: string) => boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch (err) {
    throw new UsageError(dir, `cannot read the template folder: ${(err as Error).message}`);
  }
  return names
    .filter((n) => keep(basename(n)) && statSync(join(dir, n)).isFile())
    .map((n) => n.split(sep).join('/'))
    .sort()
    .map((n) => join(dir, n));
}

function compileText(
  text: string,
  file: string,
  where: string,
): Omit<CompiledText, 'since' | 'until' | 'fallback' | 'cause'> {
  const parts: string[] = [];
  let usesRequestId = false;
  let rest = text;
  for (let m = /\{([^}]*)\}/.exec(rest); m; m = /\{([^}]*)\}/.exec(rest)) {
    const name = m[1] as Placeholder;
    if (!PLACEHOLDERS.includes(name))
      throw new ServiceError(
        file,
        where,
        `unknown placeholder {${m[1]}} (known: ${PLACEHOLDERS.join(', ')})`,
      );
    if (name === 'requestId') usesRequestId = true;
    parts.push(rest.slice(0, m.index), name);
    rest = rest.slice(m.index + m[0].length);
  }
  parts.push(rest);
  return { parts, usesRequestId };
}

function dateOf(text: string, file: string, where: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ServiceError(file, where, `"${text}" is not a date`);
  return t;
}

/**
 * Loads one service description: valid against schemas/service.schema.json, placeholders known.
 * @throws ServiceError naming the file and JSON path of the first problem
 */
export function loadServiceFile(file: string): Service {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ServiceError(file, '/', `not JSON: ${(err as Error).message}`);
  }
  // Compiled ahead of time (npm run gen:validators): a run's start-up loads no ajv.
  const validate = validateServiceJson as unknown as ((data: unknown) => boolean) & {
    errors?: ErrorObject[] | null;
  };
  if (!validate(json)) {
    const first = (validate.errors ?? [])[0];
    const { path, message } = first ? describeAjvError(first) : { path: '/', message: 'is invalid' };
    throw new ServiceError(file, path || '/', message);
  }
  const description = json as ServiceDescription;
  const entityKinds = new Set(Object.keys(description.entities));
  const changes = new Set(
    Object.entries(description.entities).flatMap(([kind, e]) =>
      (e.events ?? []).map((ev) => `${kind}.${ev}`),
    ),
  );
  const errorTexts = new Map<string, CompiledText[]>();
  for (const [code, texts] of Object.entries(description.errors)) {
    errorTexts.set(
      code,
      texts.map((t, i) => {
        const spec = typeof t === 'string' ? { text: t } : t;
        return {
          ...compileText(spec.text, file, `/errors/${code}/${i}`),
          since: spec.since ? dateOf(spec.since, file, `/errors/${code}/${i}/since`) : -Infinity,
          until: spec.until ? dateOf(spec.until, file, `/errors/${code}/${i}/until`) : Infinity,
          fallback: spec.fallback ?? false,
          cause: spec.cause ?? null,
        };
      }),
    );
  }
  const requestSchemaDir = description.requestSchemas
    ? resolve(dirname(file), description.requestSchemas)
    : null;
  return { file, description, entityKinds, changes, errorTexts, requestSchemaDir };
}

/**
 * Loads the service descriptions of template folders (any `service.json` under them). The first
 * folder (trailsim's own templates) must describe a service: it is the default for templates of a
 * service without a description. A later description of the same eventSource replaces it.
 */
export function loadServices(dirs: readonly string[]): ServiceCatalog {
  const bySource = new Map<string, Service>();
  let primary: Service | undefined;
  for (const dir of dirs) {
    for (const file of templateFolderFiles(dir, (name) => name === SERVICE_FILE)) {
      const s = loadServiceFile(file);
      primary ??= s;
      bySource.set(s.description.eventSource, s);
    }
  }
  if (!primary) throw new UsageError(dirs[0] ?? 'templates', `holds no ${SERVICE_FILE}`);
  return { primary, bySource };
}
