import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirSink, MANIFEST_NAME, type ManifestEntry } from '../../src/sinks/dir.js';
import { UsageError } from '../../src/shared/errors.js';
import { scratchFolder } from '../helpers/tree.js';

const work = scratchFolder('dir-sink');

let n = 0;
const fresh = (): string => join(work, `run-${n++}`);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** An object of `size` bytes that differ from key to key. */
function object(key: string, size = 100) {
  const body = Buffer.alloc(size, key);
  return { key, body, contentType: 'application/x-gzip' };
}

function readManifest(root: string): { seed?: number; files: ManifestEntry[] } {
  return JSON.parse(readFileSync(join(root, MANIFEST_NAME), 'utf8')) as {
    seed?: number;
    files: ManifestEntry[];
  };
}

describe('DirSink', () => {
  it('writes every object under its key and lists them, in order, with their hashes', async () => {
    const root = fresh();
    const sink = new DirSink(root, { force: false });
    // Enough entries that the entry log is written out in several chunks.
    const objects = Array.from({ length: 700 }, (_, i) =>
      object(`AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/0${1 + (i % 3)}/file-${i}.json.gz`, 50 + i),
    );
    for (const o of objects) await sink.put(o);
    await sink.put({
      ...object('trailsim-public-keys.json'),
      contentType: 'application/json',
      metadata: { a: 'b' },
    });
    sink.setRunInfo({ seed: 7 });
    await sink.close();

    const manifest = readManifest(root);
    expect(manifest.seed).toBe(7);
    expect(manifest.files.map((f) => f.key)).toEqual([
      ...objects.map((o) => o.key),
      'trailsim-public-keys.json',
    ]);
    for (const [i, o] of objects.entries()) {
      const onDisk = readFileSync(join(root, o.key));
      expect(onDisk.equals(o.body)).toBe(true);
      expect(manifest.files[i]).toEqual({
        key: o.key,
        bytes: o.body.length,
        sha256: sha256(onDisk),
        contentType: 'application/x-gzip',
      });
    }
    expect(manifest.files.at(-1)?.metadata).toEqual({ a: 'b' });
    // Nothing of the staging folder is left.
    expect(readdirSync(root).sort()).toEqual(['AWSLogs', MANIFEST_NAME, 'trailsim-public-keys.json']);
  });

  it('fails on a second object under the same key instead of replacing the first', async () => {
    const root = fresh();
    const sink = new DirSink(root, { force: false });
    await sink.put(object('AWSLogs/a.json.gz'));
    // Writes run on the thread pool: the failure comes at the next put, or at close at the latest.
    const second = async (): Promise<void> => {
      await sink.put(object('AWSLogs/a.json.gz', 200));
      await sink.close();
    };
    await expect(second()).rejects.toThrow(/EEXIST/);
    await sink.abort();
    expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
  });

  it('leaves nothing behind on abort: no file, no staging folder, no folder it created', async () => {
    const created = fresh();
    const sink = new DirSink(created, { force: false });
    for (let i = 0; i < 20; i++) await sink.put(object(`AWSLogs/x/${i}.json.gz`));
    await sink.abort();
    expect(existsSync(created)).toBe(false);

    // A folder that was there stays, empty as it was.
    const existing = fresh();
    mkdirSync(existing);
    const again = new DirSink(existing, { force: false });
    await again.put(object('AWSLogs/y.json.gz'));
    await again.abort();
    expect(readdirSync(existing)).toEqual([]);
  });

  it('refuses a folder that holds other files, and replaces nothing there', () => {
    const root = fresh();
    mkdirSync(root);
    writeFileSync(join(root, 'notes.txt'), 'mine');
    expect(() => new DirSink(root, { force: false })).toThrow(UsageError);
    expect(readdirSync(root)).toEqual(['notes.txt']);
  });
});
