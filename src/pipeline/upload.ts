import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { sha256Hex } from '../shared/hash.js';
import { MANIFEST_NAME, manifestKeys, type ManifestEntry, type RunInfo } from '../sinks/manifest.js';
import type { Sink } from '../sinks/sink.js';

export interface UploadSummary {
  objects: number;
  bytes: number;
}

/** A folder written by `trailsim generate`: its manifest's facts and files. */
export interface GeneratedTree {
  root: string;
  runInfo: RunInfo;
  files: ManifestEntry[];
}

/** Reads a generated folder's manifest; a folder without one was not written by trailsim. */
export function readGeneratedTree(dir: string): GeneratedTree {
  const root = resolve(dir);
  const path = join(root, MANIFEST_NAME);
  if (!existsSync(path))
    throw new UsageError(
      dir,
      `holds no ${MANIFEST_NAME}: upload takes a folder written by trailsim generate`,
    );
  let manifest: RunInfo & { files?: ManifestEntry[] };
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as RunInfo & { files?: ManifestEntry[] };
  } catch (err) {
    throw new UsageError(path, `is not valid JSON (${(err as Error).message})`);
  }
  manifestKeys(manifest, path);
  const { files = [], ...runInfo } = manifest;
  return { root, runInfo, files };
}

/**
 * Uploads a generated folder through a sink, each file under `keyFor(its key)`, with the content
 * type and metadata (digest signatures) the manifest recorded, in the manifest's order. A file that
 * is missing or differs from the manifest stops the upload before the sink is closed, so the sink
 * aborts and leaves nothing behind.
 *
 * @example
 * const tree = readGeneratedTree('out');
 * await uploadTree(tree, s3Sink, (k) => `team-a/${k}`);
 */
export async function uploadTree(
  tree: GeneratedTree,
  sink: Sink,
  keyFor: (key: string) => string,
): Promise<UploadSummary> {
  const summary: UploadSummary = { objects: 0, bytes: 0 };
  try {
    for (const f of tree.files) {
      const path = join(tree.root, f.key);
      if (!existsSync(path)) throw new UsageError(path, 'is listed in the manifest but missing');
      const body = readFileSync(path);
      if (body.length !== f.bytes || sha256Hex(body) !== f.sha256)
        throw new UsageError(path, 'differs from the manifest: the folder changed after it was generated');
      await sink.put({
        key: keyFor(f.key),
        body,
        contentType: f.contentType,
        ...(f.metadata ? { metadata: f.metadata } : {}),
      });
      summary.objects++;
      summary.bytes += body.length;
    }
    await sink.close();
    return summary;
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
