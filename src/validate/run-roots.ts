import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MANIFEST_NAME, type ManifestEntry } from '../sinks/manifest.js';
import { parseShardManifestName } from '../plan/shard.js';
import type { EdgeCaseLabel } from '../edge-cases/label.js';
import { findShardManifests, mergeShardFacts, type ShardHead } from './shard-run-facts.js';

/** What a trailsim manifest says of each file: its SHA-256 and, for digests, its signature. */
export interface ManifestFacts {
  /** The folder the manifest sits in, relative to the tree's root, with a trailing `/` (or ''). */
  scope: string;
  /** The manifest files, relative to the root: the run's, or one per shard of a sharded run. */
  names: string[];
  sha256: Map<string, string>;
  signatures: Map<string, string | undefined>;
  /** The edge cases the run's manifest labels (docs/edge-cases.md), or its shards' together; if any. */
  labels?: EdgeCaseLabel[];
}

/** A tree's files, and the trailsim runs it holds or leaves out. */
export interface TreeListing {
  /** Every file, `/`-separated, relative to the root, sorted; other runs and staging left out. */
  files: string[];
  /** The manifests that describe files of this tree: the root's, and those under S3 prefixes. */
  manifests: ManifestFacts[];
  /** Folders below the root that hold another run (their own manifest, keys relative to them). */
  otherRuns: string[];
  /** Manifests that could not be read, with why. */
  unreadable: { file: string; message: string }[];
}

/**
 * Lists a tree and tells its runs apart. A manifest at the root describes the tree. A manifest in
 * a folder below it describes this tree too when its keys start with that folder: trailsim's S3
 * output keeps the manifest under the prefix with bucket-relative keys, so a bucket synced to a
 * folder (`aws s3 sync s3://bucket d`) has it at `d/<prefix>/`. Any other manifest below the root is
 * another run written inside this one (its keys relative to its own folder): it is left out, to be
 * checked on its own.
 *
 * @example listTree('out').otherRuns // ['ci-fixture'] when a run was written into out/ci-fixture
 */
export function listTree(root: string): TreeListing {
  const listing: TreeListing = { files: [], manifests: [], otherRuns: [], unreadable: [] };
  const rootManifest = readManifestFacts(root, '', listing);
  if (rootManifest) listing.manifests.push(rootManifest);
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = relative(root, abs).split(sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.trailsim-staging-')) continue;
        if (hasManifest(abs)) {
          const facts = readManifestFacts(abs, `${rel}/`, listing);
          if (facts && belongsToTree(root, facts)) listing.manifests.push(facts);
          else {
            listing.otherRuns.push(rel);
            continue;
          }
        }
        walk(abs);
      } else listing.files.push(rel);
    }
  };
  walk(root);
  return listing;
}

/** Whether a manifest below the root lists its files by keys from the root (an S3 prefix). */
function belongsToTree(root: string, facts: ManifestFacts): boolean {
  const keys = [...facts.sha256.keys()];
  return (
    keys.length > 0 &&
    keys.every((k) => k.startsWith(facts.scope)) &&
    keys.some((k) => existsSync(join(root, k)))
  );
}

/** Whether a folder holds a trailsim manifest: a run's, or a shard's. */
function hasManifest(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_NAME)) || readdirSync(dir).some((n) => parseShardManifestName(n));
}

/** True for the name of a manifest: a run's, or a shard's. */
export function isManifestName(name: string): boolean {
  return name === MANIFEST_NAME || parseShardManifestName(name) !== undefined;
}

/**
 * The manifest of a folder, or of the shards of a run written into it taken together, or undefined
 * (unreadable ones are noted in the listing). Shard manifests must cover the run exactly once:
 * every shard of the split present, all of one run (seed and scenario), and no log file or digest
 * listed by two of them (the side files every shard writes, such as the public keys, may be).
 */
function readManifestFacts(dir: string, scope: string, listing: TreeListing): ManifestFacts | undefined {
  if (existsSync(join(dir, MANIFEST_NAME))) {
    let labels: EdgeCaseLabel[] | undefined;
    const files = readFiles(dir, scope, MANIFEST_NAME, listing, (m) => {
      labels = edgeCaseLabelsOf(m);
    });
    if (!files) return undefined;
    const facts = factsOf(scope, [`${scope}${MANIFEST_NAME}`], [files]);
    if (labels) facts.labels = labels;
    return facts;
  }
  const set = findShardManifests(dir, scope);
  if (!set) return undefined;
  listing.unreadable.push(...set.problems);
  const lists: Partial<ManifestEntry>[][] = [];
  const heads: ShardHead[] = [];
  const listedBy = new Map<string, string>();
  for (const name of set.names) {
    let head: Record<string, unknown> = {};
    const files = readFiles(dir, scope, name, listing, (m) => {
      head = m;
    });
    if (!files) continue;
    lists.push(files);
    const sideKeys: string[] = [];
    for (const f of files) {
      if (typeof f?.key !== 'string') continue;
      if (!f.key.includes('AWSLogs/')) {
        sideKeys.push(f.key);
        continue;
      }
      const other = listedBy.get(f.key);
      if (other !== undefined)
        listing.unreadable.push({ file: f.key, message: `is listed by two shards (${other} and ${name})` });
      else listedBy.set(f.key, name);
    }
    heads.push({ name, facts: head, sideKeys });
  }
  const merged = mergeShardFacts(heads, scope);
  listing.unreadable.push(...merged.problems);
  const facts = factsOf(
    scope,
    set.names.map((n) => `${scope}${n}`),
    lists,
  );
  const labels = edgeCaseLabelsOf(merged.facts);
  if (labels) facts.labels = labels;
  return facts;
}

/** The edge cases a manifest labels (`edgeCases.labels`), if any. */
function edgeCaseLabelsOf(manifest: Record<string, unknown>): EdgeCaseLabel[] | undefined {
  const l = (manifest.edgeCases as { labels?: unknown } | undefined)?.labels;
  return Array.isArray(l) ? (l as EdgeCaseLabel[]) : undefined;
}

/** A manifest's `files`, or undefined (noted in the listing) when it cannot be read. */
function readFiles(
  dir: string,
  scope: string,
  name: string,
  listing: TreeListing,
  onManifest?: (m: Record<string, unknown>) => void,
): Partial<ManifestEntry>[] | undefined {
  const file = `${scope}${name}`;
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    listing.unreadable.push({ file, message: `is not valid JSON (${(err as Error).message})` });
    return undefined;
  }
  if (!Array.isArray(manifest.files)) {
    listing.unreadable.push({ file, message: 'has no files list' });
    return undefined;
  }
  onManifest?.(manifest);
  return manifest.files as Partial<ManifestEntry>[];
}

function factsOf(scope: string, names: string[], lists: Partial<ManifestEntry>[][]): ManifestFacts {
  const facts: ManifestFacts = { scope, names, sha256: new Map(), signatures: new Map() };
  for (const files of lists)
    for (const f of files) {
      if (typeof f?.key !== 'string') continue;
      facts.sha256.set(f.key, String(f.sha256));
      facts.signatures.set(f.key, f.metadata?.signature);
    }
  return facts;
}

/** The manifest that describes a file: the one of the deepest folder holding it. */
export function manifestOf(manifests: readonly ManifestFacts[], file: string): ManifestFacts | undefined {
  let best: ManifestFacts | undefined;
  for (const m of manifests)
    if (file.startsWith(m.scope) && (!best || m.scope.length > best.scope.length)) best = m;
  return best;
}
