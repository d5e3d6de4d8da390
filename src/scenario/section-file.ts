import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../shared/errors.js';
import { schemaValidator } from '../shared/schema-validator.js';

/**
 * A scenario section given to a flag as a YAML or JSON file (`--edge-cases`, `--incidents`), read
 * and checked against its schema, so that a bad one names the file and its field. `names` says,
 * for the message, what else the flag accepts.
 *
 * @example readSectionFile('my-cases.yaml', '--edge-cases', 'edge-cases', 'a profile (realistic, hostile)')
 */
export function readSectionFile(value: string, flag: string, schema: string, names: string): unknown {
  const where = `${flag}: ${value}`;
  let text: string;
  try {
    if (!statSync(value).isFile()) throw new UsageError(where, 'is not a file');
    text = readFileSync(value, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(flag, `"${value}" is neither ${names} nor a readable file`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new UsageError(where, `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const problem = schemaValidator(schema)(data ?? {})[0];
  if (problem !== undefined) {
    const cut = problem.indexOf(': ');
    const message = problem.slice(cut + 2);
    const pointer = problem.slice(0, cut);
    throw new UsageError(
      `${where}: ${pointer || '/'}`,
      message === 'is not allowed here' ? `unknown key "${pointer.split('/').at(-1) ?? ''}"` : message,
    );
  }
  return data;
}
