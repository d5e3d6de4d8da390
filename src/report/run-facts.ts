import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../shared/errors.js';
import { MANIFEST_NAME } from '../sinks/manifest.js';
import { findShardManifests, mergeShardFacts, type ShardHead } from '../validate/shard-run-facts.js';

const CHUNK = 64 * 1024;
/** A manifest whose facts do not end within this much text is not one trailsim wrote. */
const MAX_HEAD = 4 * 1024 * 1024;
const FILES = '"files": [';

/** The run's facts, and the manifests they were read from. */
export interface RunFacts {
  facts: Record<string, unknown>;
  /** `trailsim-manifest.json`, or the shard manifests of a sharded run, in shard order. */
  manifests: string[];
  /** What keeps shard manifests from being the whole run (a shard missing), one line each. */
  problems: string[];
}

/**
 * The run's facts from trailsim's manifest (generator, version, seed, scenario, trail, counts),
 * without its list of files: trailsim writes the facts first and `"files": [` last, one entry a
 * line, so only the head is read, however many files the run wrote. A tree written in shards
 * (`generate --shard`) has a manifest per shard instead: their facts are merged as `trailsim
 * validate` merges them, into the facts the unsharded run's manifest states. Null for a tree
 * without a manifest (a real trail's bucket).
 *
 * @example readRunFacts('out')?.facts.seed // 1
 * @throws UsageError when a manifest is there but its head is not JSON
 */
export function readRunFacts(root: string): RunFacts | null {
  if (existsSync(join(root, MANIFEST_NAME)))
    return { facts: readHead(join(root, MANIFEST_NAME)), manifests: [MANIFEST_NAME], problems: [] };
  const set = findShardManifests(root, '');
  if (!set) return null;
  const heads: ShardHead[] = set.names.map((name) => {
    const sideKeys: string[] = [];
    return { name, facts: readHead(join(root, name), sideKeys), sideKeys };
  });
  const merged = mergeShardFacts(heads, '');
  return {
    facts: merged.facts,
    manifests: set.names,
    problems: [...set.problems, ...merged.problems].map((p) =>
      p.file === '.' ? p.message : `${p.file} ${p.message}`,
    ),
  };
}

/**
 * The facts a manifest states before its files. With `sideKeys`, the rest is read too, a line at a
 * time, for the keys of the files it lists outside `AWSLogs/` (a shard's side files).
 */
function readHead(path: string, sideKeys?: string[]): Record<string, unknown> {
  const fd = openSync(path, 'r');
  let text = '';
  let head: string | undefined;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      text += decoder.write(chunk.subarray(0, n));
      if (head === undefined) {
        const files = text.indexOf(FILES);
        if (files >= 0) {
          head = `${text.slice(0, files)}"files": []}`;
          if (!sideKeys) break;
          text = text.slice(files + FILES.length);
        } else if (text.length > MAX_HEAD) break;
      }
      if (head !== undefined && sideKeys) {
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const line of lines) addSideKey(line, sideKeys);
      }
    }
    if (head !== undefined && sideKeys) addSideKey(text, sideKeys);
  } finally {
    closeSync(fd);
  }
  let facts: Record<string, unknown>;
  try {
    facts = JSON.parse(head ?? text) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(path, `is not a trailsim manifest (${(err as Error).message})`);
  }
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts))
    throw new UsageError(path, 'is not a trailsim manifest (not a JSON object)');
  delete facts.files;
  return facts;
}

/** The key of a manifest entry line (`{"key":…},`) outside `AWSLogs/`, added to `keys`. */
function addSideKey(line: string, keys: string[]): void {
  const entry = line.trim().replace(/,$/, '');
  if (!entry.startsWith('{') || entry.includes('AWSLogs/')) return;
  try {
    const key = (JSON.parse(entry) as { key?: unknown }).key;
    if (typeof key === 'string') keys.push(key);
  } catch {
    // Not an entry line of trailsim's: such a manifest's side files are not counted apart.
  }
}
