import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { UsageError } from '../shared/errors.js';
import type { Output, ScenarioFile } from '../generated/scenario.js';
import { schemaValidator } from '../shared/schema-validator.js';
import type { ScenarioInput } from './scenario.js';

/** A scenario file, parsed and checked against schemas/scenario.schema.json. */
export interface LoadedScenarioFile {
  /** The path as the user gave it, for messages. */
  file: string;
  input: ScenarioInput;
  /** `output` of the file, with `out` resolved against the file's folder. */
  output: Output;
  /** Names a field of the file for an error: `x.yaml:4: /regions/1`. */
  where: (field: string) => string;
}

/**
 * Reads a YAML or JSON scenario (or a trailsim manifest, whose `scenario` key is one), validates it
 * against the schema and resolves relative paths against the file's folder. Semantic checks (known
 * Regions, end after start, ...) are `resolveScenario`'s, given `where` to name the file's paths.
 *
 * @example
 *   const f = loadScenarioFile('examples/ci-fixture.yaml');
 *   resolveScenario(f.input, f.where); // throws "examples/ci-fixture.yaml:7: /regions/1: ..."
 * @throws UsageError naming the file, the line when known, the JSON path and what was expected
 */
export function loadScenarioFile(file: string): LoadedScenarioFile {
  const text = readScenarioText(file);
  const lines = new LineCounter();
  const json = /\.json$/i.test(file);
  if (json) checkJsonSyntax(text, file);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    throw new UsageError(
      `${file}:${at.line}:${at.col}`,
      `not valid ${json ? 'JSON' : 'YAML'}: ${syntax.message.split('\n')[0]}`,
    );
  }
  let data: unknown = doc.toJS();
  // A manifest carries the resolved scenario of its run under `scenario`: feeding it back reruns it.
  let base: string[] = [];
  if (isObject(data) && data.generator === 'trailsim' && isObject(data.scenario)) {
    data = data.scenario;
    base = ['scenario'];
  }
  const where = (field: string): string => {
    const segments = field === '' ? [] : field.split('.');
    const line = lineOf(doc, lines, [...base, ...segments]);
    return `${file}${line ? `:${line}` : ''}: /${[...base, ...segments].join('/')}`;
  };
  if (data === null || data === undefined)
    throw new UsageError(
      file,
      'is empty: a scenario sets at least one key (trailsim init writes one to start from)',
    );
  if (!isObject(data)) throw new UsageError(`${file}: /`, 'a scenario must be a mapping of keys to values');
  const problem = schemaValidator('scenario')(data)[0];
  if (problem !== undefined) {
    const cut = problem.indexOf(': ');
    const pointer = problem.slice(0, cut);
    const field = pointer.split('/').slice(1).join('.');
    throw new UsageError(where(field), explain(problem.slice(cut + 2), pointer, data));
  }
  const parsed = data as ScenarioFile;
  const folder = dirname(resolve(file));
  const { $schema: _schema, $comment: _comment, output = {}, ...input } = parsed;
  if (input.templates) input.templates = input.templates.map((t) => resolvePath(folder, t));
  return {
    file,
    input,
    // A folder is relative to the file; an S3 URL or - (standard output) is taken as it is.
    output: {
      ...output,
      ...(output.out !== undefined && output.out !== '-' && !output.out.startsWith('s3://')
        ? { out: resolvePath(folder, output.out) }
        : {}),
    },
    where,
  };
}

/**
 * The flags a user gave win over the file; nested objects (trail, curve) merge key by key.
 *
 * @example combineInputs({ seed: 1, trail: { name: 'a' } }, { trail: { bucket: 'b' } })
 *   // { seed: 1, trail: { name: 'a', bucket: 'b' } }
 */
export function combineInputs(file: ScenarioInput, flags: ScenarioInput): ScenarioInput {
  const out: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const before = out[key];
    out[key] = isObject(value) && isObject(before) ? { ...before, ...value } : value;
  }
  return out as ScenarioInput;
}

function readScenarioText(file: string): string {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new UsageError(file, 'no such scenario file');
  }
  if (!isFile) throw new UsageError(file, 'is a folder, not a scenario file (.yaml or .json)');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** JSON's own parser says what is wrong in JSON terms; YAML would accept some invalid JSON. */
function checkJsonSyntax(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /at position (\d+)/.exec(message);
    let where = file;
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = `${file}:${line}:${before.length - before.lastIndexOf('\n')}`;
    }
    throw new UsageError(
      where,
      `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s+/g, ' ')}`,
    );
  }
}

function lineOf(doc: Document, lines: LineCounter, path: string[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(
      path.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      true,
    ) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

const scenarioSchema = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../schemas/scenario.schema.json', import.meta.url)), 'utf8'),
) as SchemaNode;

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  description?: string;
}

/** Turns the schema's terse message into what a user needs: the value given and what is allowed. */
function explain(message: string, pointer: string, data: unknown): string {
  const segments = pointer.split('/').slice(1);
  if (message === 'is not allowed here') {
    let node: SchemaNode | undefined = scenarioSchema;
    for (const s of segments.slice(0, -1)) node = node?.properties?.[s];
    const known = Object.keys(node?.properties ?? {}).filter((k) => !k.startsWith('$'));
    return `unknown key "${segments.at(-1) ?? ''}"${known.length ? ` (known keys: ${known.join(', ')})` : ''}`;
  }
  if (message === 'is required') return message;
  let value: unknown = data;
  for (const s of segments) value = isObject(value) || Array.isArray(value) ? (value as never)[s] : undefined;
  const got = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  if (segments[0] === 'eventVersion' && typeof value === 'number')
    return `must be a string such as "1.08"; quote it in YAML, as ${value} is read as a number${got}`;
  if (message === 'must match exactly one schema in oneOf' && segments[0] === 'regions')
    return `must be a list of Regions or a comma-separated string${got}`;
  return `${message}${got}`;
}

function resolvePath(folder: string, p: string): string {
  return isAbsolute(p) ? p : resolve(folder, p);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
