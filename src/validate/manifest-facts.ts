import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseShardManifestName } from '../plan/shard.js';
import { MANIFEST_NAME, type ManifestEntry } from '../sinks/manifest.js';

/** What trailsim's manifests say of each file: its SHA-256 and, for digests, its signature. */
export interface ManifestFacts {
  /** The manifest files read, by name: one, or one per shard. */
  names: string[];
  sha256: Map<string, string>;
  signatures: Map<string, string | undefined>;
}

type Problem = (file: string, message: string) => void;

/** True for the name of a manifest at a tree's root: the run's, or a shard's. */
export function isManifestName(name: string): boolean {
  return name === MANIFEST_NAME || parseShardManifestName(name) !== undefined;
}

/**
 * The facts of the tree's manifest, or of its shards' manifests taken together, or undefined when
 * the tree has none (or none that can be read). Shard manifests must cover the run exactly once:
 * every shard of the split present, all of one run (seed and scenario), and no log file or digest
 * listed by two of them (the side files every shard writes, such as the public keys, may be).
 */
export function readManifestFacts(root: string, problem: Problem): ManifestFacts | undefined {
  if (existsSync(join(root, MANIFEST_NAME))) {
    const files = readFiles(root, MANIFEST_NAME, problem);
    return files && factsOf([MANIFEST_NAME], [files]);
  }
  const shards = readdirSync(root)
    .map((name) => ({ name, shard: parseShardManifestName(name) }))
    .filter((s) => s.shard !== undefined)
    .sort((a, b) => a.shard!.index - b.shard!.index);
  if (shards.length === 0) return undefined;
  const count = shards[0]!.shard!.count;
  const bad = shards.find((s) => s.shard!.count !== count);
  if (bad) problem(bad.name, `is a shard of a run split into ${bad.shard!.count}, beside shards of ${count}`);
  const have = new Set(shards.map((s) => s.shard!.index));
  for (let i = 0; i < count; i++)
    if (!have.has(i))
      problem('.', `shard ${i} of ${count} is missing (no trailsim-manifest.shard-${i}-of-${count}.json)`);
  const lists: Partial<ManifestEntry>[][] = [];
  let run: string | undefined;
  for (const { name } of shards) {
    const files = readFiles(root, name, problem, (m) => {
      const id = JSON.stringify([m.seed, m.scenario]);
      if (run === undefined) run = id;
      else if (id !== run)
        problem(name, `is a shard of another run (seed or scenario differ from ${shards[0]!.name})`);
    });
    if (files) lists.push(files);
  }
  const listedBy = new Map<string, string>();
  lists.forEach((files, i) => {
    for (const f of files) {
      if (typeof f?.key !== 'string' || !f.key.includes('AWSLogs/')) continue;
      const other = listedBy.get(f.key);
      if (other !== undefined) problem(f.key, `is listed by two shards (${other} and ${shards[i]!.name})`);
      else listedBy.set(f.key, shards[i]!.name);
    }
  });
  return factsOf(
    shards.map((s) => s.name),
    lists,
  );
}

/** A manifest's `files`, or undefined (reported) when it cannot be read. */
function readFiles(
  root: string,
  name: string,
  problem: Problem,
  onManifest?: (m: Record<string, unknown>) => void,
): Partial<ManifestEntry>[] | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(root, name), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    problem(name, `is not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  if (!Array.isArray(manifest.files)) {
    problem(name, 'has no files list');
    return undefined;
  }
  onManifest?.(manifest);
  return manifest.files as Partial<ManifestEntry>[];
}

function factsOf(names: string[], lists: Partial<ManifestEntry>[][]): ManifestFacts {
  const facts: ManifestFacts = { names, sha256: new Map(), signatures: new Map() };
  for (const files of lists) {
    for (const f of files) {
      if (typeof f?.key !== 'string') continue;
      facts.sha256.set(f.key, String(f.sha256));
      facts.signatures.set(f.key, f.metadata?.signature);
    }
  }
  return facts;
}
