#!/usr/bin/env node
// Derives one JSON Schema per DevOps Guru operation input from the botocore service model, so that
// tests can hold every template's requestParameters to the API's own constraints.
//
// Usage: node scripts/gen-request-schemas.mjs [path/to/service-2.json] [out-dir]
// Defaults: schemas/devops-guru/service-2.json (a copy of the botocore model, see its NOTICE.md) and
// schemas/devops-guru/requests. The output is generated: do not edit it by hand, rerun this script.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_MODEL = resolve(ROOT, 'schemas/devops-guru/service-2.json');
export const DEFAULT_OUT = join(ROOT, 'schemas/devops-guru/requests');

// Java regex classes that ECMAScript lacks, as the contents of a bracket expression. Unicode general
// categories (\p{L}, \p{Z}, \p{N}, ...) need no change: ajv compiles patterns with the `u` flag.
const JAVA_CLASSES = {
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Upper: 'A-Z',
  Lower: 'a-z',
  Punct: '!-\\/:-@\\[-`{-~',
  Space: ' \\t\\n\\x0B\\f\\r',
  XDigit: '0-9a-fA-F',
  ASCII: '\\x00-\\x7F',
  IsAlphabetic: '\\p{Alphabetic}',
  IsLetter: '\\p{L}',
  IsDigit: '\\p{Nd}',
  javaWhitespace: '\\s',
};

/** Rewrites a model pattern into an ECMAScript pattern valid with the `u` flag, or throws. */
export function translatePattern(pattern, where) {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const java = /^\\[pP]\{(\w+)\}/.exec(pattern.slice(i));
      const inner = java && JAVA_CLASSES[java[1]];
      if (inner) {
        if (java[0][1] === 'P')
          out += inClass ? fail(where, pattern, 'negated Java class in a set') : `[^${inner}]`;
        else out += inClass ? inner : `[${inner}]`;
        i += java[0].length - 1;
      } else {
        out += pattern.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  try {
    new RegExp(out, 'u');
  } catch (err) {
    throw new Error(
      `${where}: pattern ${JSON.stringify(pattern)} is not a valid ECMAScript pattern: ${err.message}`,
    );
  }
  return out;
}

function fail(where, pattern, why) {
  throw new Error(`${where}: pattern ${JSON.stringify(pattern)}: ${why}`);
}

function shapeSchema(model, name, stack) {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`unknown shape ${name}`);
  if (stack.includes(name)) throw new Error(`recursive shape ${[...stack, name].join(' > ')}`);
  const here = [...stack, name];
  switch (shape.type) {
    case 'structure': {
      const properties = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        properties[member] = shapeSchema(model, ref.shape, here);
      }
      const s = { type: 'object', properties };
      if (shape.required?.length) s.required = [...shape.required];
      s.additionalProperties = false;
      return s;
    }
    case 'list': {
      const s = { type: 'array', items: shapeSchema(model, shape.member.shape, here) };
      if (shape.min !== undefined) s.minItems = shape.min;
      if (shape.max !== undefined) s.maxItems = shape.max;
      return s;
    }
    case 'map': {
      const s = {
        type: 'object',
        propertyNames: shapeSchema(model, shape.key.shape, here),
        additionalProperties: shapeSchema(model, shape.value.shape, here),
      };
      if (shape.min !== undefined) s.minProperties = shape.min;
      if (shape.max !== undefined) s.maxProperties = shape.max;
      return s;
    }
    case 'string': {
      const s = { type: 'string' };
      if (shape.enum) s.enum = [...shape.enum];
      if (shape.min !== undefined) s.minLength = shape.min;
      if (shape.max !== undefined) s.maxLength = shape.max;
      if (shape.pattern !== undefined) s.pattern = translatePattern(shape.pattern, `shape ${name}`);
      return s;
    }
    case 'integer':
    case 'long': {
      const s = { type: 'integer' };
      if (shape.min !== undefined) s.minimum = shape.min;
      if (shape.max !== undefined) s.maximum = shape.max;
      return s;
    }
    case 'double':
    case 'float': {
      const s = { type: 'number' };
      if (shape.min !== undefined) s.minimum = shape.min;
      if (shape.max !== undefined) s.maximum = shape.max;
      return s;
    }
    case 'boolean':
      return { type: 'boolean' };
    // CloudTrail writes timestamps in requestParameters as strings (the service's own rendering),
    // never as the epoch numbers that travel on the wire.
    case 'timestamp':
      return { type: 'string', minLength: 1 };
    case 'blob':
      return { type: 'string' };
    default:
      throw new Error(`shape ${name}: unsupported type ${shape.type}`);
  }
}

/**
 * Builds the request schemas from a parsed service model.
 * @returns {Map<string, object>} operation name → JSON Schema, in operation-name order
 */
export function buildRequestSchemas(model) {
  const out = new Map();
  for (const op of Object.keys(model.operations).sort()) {
    const def = model.operations[op];
    const body = def.input
      ? shapeSchema(model, def.input.shape, [])
      : { type: 'object', properties: {}, additionalProperties: false };
    out.set(op, {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $comment: 'GENERATED by scripts/gen-request-schemas.mjs from the service model; do not edit.',
      title: `${op} requestParameters`,
      ...body,
    });
  }
  return out;
}

/** The file contents the generator writes: file name → text. */
export function renderRequestSchemaFiles(modelPath = DEFAULT_MODEL) {
  const model = JSON.parse(readFileSync(modelPath, 'utf8'));
  const files = new Map();
  for (const [op, schema] of buildRequestSchemas(model)) {
    files.set(`${op}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

function main() {
  const modelPath = resolve(process.argv[2] ?? DEFAULT_MODEL);
  const outDir = resolve(process.argv[3] ?? DEFAULT_OUT);
  const files = renderRequestSchemaFiles(modelPath);
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) {
    if (old.endsWith('.schema.json') && !files.has(old)) rmSync(join(outDir, old));
  }
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  console.log(`wrote ${files.size} request schemas to ${outDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
