import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import { scenarioSchemaPath } from './schemas/schema-path.js';

/** The keys an options object may have; a nested object's keys under its own key. */
export interface KnownKeys {
  [key: string]: KnownKeys | true;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
}

/** Keys a scenario file may have that mean nothing to the library: the file's own metadata and output. */
const FILE_ONLY = new Set(['$schema', '$comment', 'output']);

let scenarioKeys: KnownKeys | undefined;

/** The options `generateLogFiles` and `records` take: the scenario schema's keys (read once). */
export function scenarioOptionKeys(): KnownKeys {
  const tree = (node: SchemaNode): KnownKeys =>
    Object.fromEntries(
      Object.entries(node.properties ?? {})
        .filter(([k]) => !FILE_ONLY.has(k))
        .map(([k, sub]) => [k, sub.properties ? tree(sub) : true]),
    );
  scenarioKeys ??= tree(JSON.parse(readFileSync(scenarioSchemaPath(), 'utf8')) as SchemaNode);
  return scenarioKeys;
}

/**
 * Refuses a key the options do not know, as a scenario file's schema does: a typo (`evnts`) would
 * otherwise pass silently and the default apply.
 *
 * @example checkOptionKeys({ evnts: 3 }, { events: true }) // throws "evnts: unknown option (did you mean events?)"
 * @throws UsageError naming the key's path and the nearest known key
 */
export function checkOptionKeys(options: object, known: KnownKeys, path = ''): void {
  for (const [key, value] of Object.entries(options)) {
    const at = `${path}${key}`;
    const sub = Object.hasOwn(known, key) ? known[key] : undefined;
    if (sub === undefined) {
      const near = nearest(key, Object.keys(known));
      throw new UsageError(
        at,
        near !== undefined
          ? `unknown option (did you mean ${path}${near}?)`
          : `unknown option (${Object.keys(known).join(', ')})`,
      );
    }
    if (sub !== true && typeof value === 'object' && value !== null && !Array.isArray(value))
      checkOptionKeys(value, sub, `${at}.`);
  }
}

/** The known key within two edits of `key`, if one is. */
function nearest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
