import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MANIFEST_NAME, type ManifestEntry } from '../sinks/manifest.js';

/** What a trailsim manifest says of each file: its SHA-256 and, for digests, its signature. */
export interface ManifestFacts {
  /** The folder the manifest sits in, relative to the tree's root, with a trailing `/` (or ''). */
  scope: string;
  sha256: Map<string, string>;
  signatures: Map<string, string | undefined>;
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
        if (existsSync(join(abs, MANIFEST_NAME))) {
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

/** The manifest of a folder, or undefined (unreadable ones are noted in the listing). */
function readManifestFacts(dir: string, scope: string, listing: TreeListing): ManifestFacts | undefined {
  const path = join(dir, MANIFEST_NAME);
  const file = `${scope}${MANIFEST_NAME}`;
  if (!existsSync(path)) return undefined;
  let manifest: { files?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown };
  } catch (err) {
    listing.unreadable.push({ file, message: `is not valid JSON (${(err as Error).message})` });
    return undefined;
  }
  if (!Array.isArray(manifest.files)) {
    listing.unreadable.push({ file, message: 'has no files list' });
    return undefined;
  }
  const facts: ManifestFacts = { scope, sha256: new Map(), signatures: new Map() };
  for (const f of manifest.files as Partial<ManifestEntry>[]) {
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
