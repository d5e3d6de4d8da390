import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../shared/errors.js';
import { MANIFEST_NAME } from '../sinks/manifest.js';

const CHUNK = 64 * 1024;
/** A manifest whose facts do not end within this much text is not one trailsim wrote. */
const MAX_HEAD = 4 * 1024 * 1024;

/**
 * The run's facts from trailsim's manifest (generator, version, seed, scenario, trail, counts),
 * without its list of files: trailsim writes the facts first and `"files": [` last, one entry a
 * line, so only the head is read, however many files the run wrote. Null for a tree without a
 * manifest (a real trail's bucket).
 *
 * @example readRunFacts('out')?.seed // 1
 * @throws UsageError when the manifest is there but its head is not JSON
 */
export function readRunFacts(root: string): Record<string, unknown> | null {
  const path = join(root, MANIFEST_NAME);
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  let text = '';
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      text += decoder.write(chunk.subarray(0, n));
      const files = text.indexOf('"files": [');
      if (files >= 0) {
        text = `${text.slice(0, files)}"files": []}`;
        break;
      }
      if (text.length > MAX_HEAD) break;
    }
  } finally {
    closeSync(fd);
  }
  let facts: Record<string, unknown>;
  try {
    facts = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(path, `is not a trailsim manifest (${(err as Error).message})`);
  }
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts))
    throw new UsageError(path, 'is not a trailsim manifest (not a JSON object)');
  delete facts.files;
  return facts;
}
