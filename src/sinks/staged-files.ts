import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../shared/hash.js';
import type { ManifestEntry } from './manifest.js';

/**
 * Writes log files into a `FolderSink`'s staging folder from a render worker, synchronously: the
 * worker that made a file creates it, so the main thread neither receives its bytes nor queues its
 * write, and the kernel's work for the file (most of a write's cost on a disk's file system) is
 * spread over the workers with the rendering. A folder is created once, before its first file.
 *
 * @example new StagedFiles('out/.trailsim-staging-42').write('AWSLogs/…/x.json.gz', body) // { bytes, sha256 }
 */
export class StagedFiles {
  private readonly made = new Set<string>();

  constructor(private readonly folder: string) {}

  /**
   * Creates the file at `key` with `body` and returns what the manifest says of it. 'wx': two
   * files under one key would be a bug; fail rather than keep the second silently.
   */
  write(key: string, body: Uint8Array): Pick<ManifestEntry, 'bytes' | 'sha256'> {
    const path = join(this.folder, key);
    const dir = dirname(path);
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    writeFileSync(path, body, { flag: 'wx' });
    return { bytes: body.length, sha256: sha256Hex(body) };
  }
}
