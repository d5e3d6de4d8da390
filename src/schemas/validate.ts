/**
 * The one place that loads trailsim's JSON Schemas (`schemas/*.schema.json`) and validates data
 * against them. Schemas are read and compiled on first use, then kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { SCHEMAS_DIR } from './schema-path.js';

/** A validator: returns one `path: message` line per problem, empty when the data is valid. */
export type SchemaValidator = (data: unknown) => string[];

const SCHEMA_SUFFIX = '.schema.json';

// ajv-formats is CommonJS: under NodeNext the default import is module.exports, whose .default is the plugin.
const addFormats = ajvFormats.default;

let ajv: Ajv | undefined;
const validators = new Map<string, SchemaValidator>();
const broken = new Map<string, Error>();

/** All schema files go into one instance, so that schemas can `$ref` each other by `$id`. */
function loadSchemas(): Ajv {
  if (ajv) return ajv;
  const instance = new Ajv({
    allErrors: true,
    // Tag-driven oneOf (userIdentity by type): errors come from the matching branch only.
    discriminator: true,
    strict: true,
    // Conditional rules (if/then) name properties defined by the enclosing schema and carry no
    // "type" of their own; that is intended.
    strictTypes: false,
    strictRequired: false,
  });
  addFormats(instance, ['date-time']);
  // json-schema-to-typescript's keyword: the TypeScript type of a schema; no validation meaning.
  instance.addKeyword({ keyword: 'tsType', schemaType: 'string' });
  const files = readdirSync(SCHEMAS_DIR)
    .filter((name) => name.endsWith(SCHEMA_SUFFIX))
    .sort();
  for (const file of files) {
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8'));
    } catch (error) {
      broken.set(file, error as Error);
      continue;
    }
    try {
      instance.addSchema(schema as object, file);
    } catch (error) {
      // Reported when this schema is asked for, so one bad schema does not disable the others.
      broken.set(file, error as Error);
    }
  }
  ajv = instance;
  return instance;
}

/**
 * A validator for `schemas/<name>.schema.json`, compiled on first use.
 *
 * @param name schema name without the suffix, e.g. `'scenario'` for `schemas/scenario.schema.json`
 * @example
 *   const errors = schemaValidator('scenario')(parsedYaml);
 *   // ['/volume/rate: must be >= 0']
 */
export function schemaValidator(name: string): SchemaValidator {
  const cached = validators.get(name);
  if (cached) return cached;
  const file = name.endsWith(SCHEMA_SUFFIX) ? name : `${name}${SCHEMA_SUFFIX}`;
  const instance = loadSchemas();
  const failure = broken.get(file);
  if (failure) throw new Error(`schemas/${file}: ${failure.message}`, { cause: failure });
  let validate: ValidateFunction | undefined;
  try {
    validate = instance.getSchema(file);
  } catch (error) {
    throw new Error(`schemas/${file} does not compile: ${(error as Error).message}`, { cause: error });
  }
  if (!validate) throw new Error(`no schema schemas/${file}`);
  const compiled = validate;
  const validator: SchemaValidator = (data) => (compiled(data) ? [] : formatErrors(compiled.errors ?? []));
  validators.set(name, validator);
  return validator;
}

/**
 * Checks one CloudTrail record against `schemas/cloudtrail-record.schema.json`.
 *
 * @example
 *   validateRecord({ ...record, eventTime: '2024-05-01T10:00:00.123Z' });
 *   // ['/eventTime: must match pattern "^\\d{4}-..."']
 */
export function validateRecord(record: unknown): string[] {
  return schemaValidator('cloudtrail-record')(record);
}

/** Checks a log file body `{"Records": [...]}` against `schemas/log-file.schema.json`. */
export function validateLogFile(body: unknown): string[] {
  return schemaValidator('log-file')(body);
}

/** Checks a digest file body against `schemas/digest-file.schema.json`. */
export function validateDigest(body: unknown): string[] {
  return schemaValidator('digest-file')(body);
}

/**
 * One line per problem, naming the JSON pointer of the offending value. Wrapper errors that only say
 * a sub-schema failed ("must match then schema") are dropped: the sub-schema's own errors say why.
 */
function formatErrors(errors: ErrorObject[]): string[] {
  // A value outside an enum also fails its "type"; the enum's message alone says what is allowed.
  const listed = new Set(
    errors.filter((e) => e.keyword === 'enum' || e.keyword === 'const').map((e) => e.instancePath),
  );
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'type' && listed.has(error.instancePath)) continue;
    const line = formatError(error);
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

function formatError(error: ErrorObject): string | undefined {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  const child = (key: string) => `${error.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined;
    case 'required':
      return `${child(String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${child(String(params.additionalProperty))}: is not allowed here`;
    case 'false schema':
      return `${at}: is not allowed here`;
    case 'dependencies':
      return `${child(String(params.property))}: requires ${String(params.missingProperty)}`;
    case 'const':
      return `${at}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}
