import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { download, listAll, type TestS3 } from './s3-servers.js';

/** True for a run's manifest or a shard's: the files each shard writes its own of. */
export const isManifest = (key: string): boolean => /(^|\/)trailsim-manifest[^/]*\.json$/.test(key);

/** Path → SHA-256 of every file of a tree but its manifests. */
export function filesOf(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([k]) => !isManifest(k)));
}

/**
 * The files of shards' trees taken together (manifests aside), failing when two shards write the
 * same log file or digest, or the same side file with other bytes; `writers` says which shards
 * wrote each file.
 */
export function unionOfShards(trees: readonly Record<string, string>[]): {
  union: Record<string, string>;
  writers: Map<string, number[]>;
} {
  const union: Record<string, string> = {};
  const writers = new Map<string, number[]>();
  trees.forEach((tree, i) => {
    for (const [k, h] of Object.entries(filesOf(tree))) {
      // A file two shards write (the public keys) is the same file.
      if (union[k] !== undefined && !k.includes('AWSLogs/')) expect(union[k], k).toBe(h);
      else expect(union[k], `${k} written by two shards`).toBeUndefined();
      union[k] = h;
      writers.set(k, [...(writers.get(k) ?? []), i]);
    }
  });
  return { union, writers };
}

/**
 * Path → SHA-256 of every object under an S3 prefix but the manifests, named as in a folder run:
 * the side files of a run sit at the folder's root, and under the prefix in S3.
 */
export async function hashPrefix(
  s3: TestS3,
  bucket: string,
  prefix: string,
): Promise<Record<string, string>> {
  const { keys } = await listAll(s3.client, bucket, `${prefix}/`);
  const got: Record<string, string> = {};
  for (const key of keys) {
    if (isManifest(key)) continue;
    const { body } = await download(s3.client, bucket, key);
    const path = key.includes('/AWSLogs/') ? key : key.slice(prefix.length + 1);
    got[path] = createHash('sha256').update(body).digest('hex');
  }
  return got;
}
