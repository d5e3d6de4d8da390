import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../shared/errors.js';
import { schemaValidator } from '../shared/schema-validator.js';
import { EDGE_CASE_PROFILES, type EdgeCases } from './edge-cases.js';

/**
 * What `--edge-cases` names: a built-in profile, or a YAML or JSON file holding an edge-case
 * section (schemas/edge-cases.schema.json), checked here so that a bad one names its field.
 *
 * @example edgeCasesFromFlag('hostile') // { profile: 'hostile' }
 */
export function edgeCasesFromFlag(value: string): EdgeCases {
  if (value in EDGE_CASE_PROFILES) return { profile: value as keyof typeof EDGE_CASE_PROFILES };
  const where = `--edge-cases: ${value}`;
  let text: string;
  try {
    if (!statSync(value).isFile()) throw new UsageError(where, 'is not a file');
    text = readFileSync(value, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      '--edge-cases',
      `"${value}" is neither a profile (${Object.keys(EDGE_CASE_PROFILES).join(', ')}) nor a readable file`,
    );
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new UsageError(where, `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const problem = schemaValidator('edge-cases')(data ?? {})[0];
  if (problem !== undefined) {
    const cut = problem.indexOf(': ');
    const message = problem.slice(cut + 2);
    const pointer = problem.slice(0, cut);
    throw new UsageError(
      `${where}: ${pointer || '/'}`,
      message === 'is not allowed here' ? `unknown key "${pointer.split('/').at(-1) ?? ''}"` : message,
    );
  }
  return data as EdgeCases;
}
