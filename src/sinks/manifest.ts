import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../shared/errors.js';
import { sha256Hex } from '../shared/hash.js';
import { keyProblem } from '../shared/object-key.js';
import type { SinkObject } from '../layout/sink-object.js';

/** The side file in which a run lists what it wrote, at the root of a folder or under an S3 prefix. */
export const MANIFEST_NAME = 'trailsim-manifest.json';

/** One object in the manifest: what was written, its hash, and the metadata a folder cannot carry. */
export interface ManifestEntry {
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
  metadata?: Record<string, string>;
}

/** What a run says about itself in the manifest, besides its files. */
export type RunInfo = Record<string, unknown>;

/** The manifest entry of an object about to be written. */
export function manifestEntryOf(object: SinkObject): ManifestEntry {
  const entry: ManifestEntry = {
    key: object.key,
    bytes: object.body.length,
    sha256: sha256Hex(object.body),
    contentType: object.contentType,
  };
  if (object.metadata) entry.metadata = object.metadata;
  return entry;
}

/** Entry lines kept before they are written out: a few hundred entries, one write system call. */
const ENTRY_BUFFER_CHARS = 64 * 1024;

/**
 * Entries of a run, appended to a JSON-lines file as objects are written: a long run's list lives
 * on disk, not in memory, until `writeManifest` turns it into the manifest. Written synchronously in
 * 64 KB chunks: an entry is small, and a stream's promise per entry cost more than the write.
 *
 * @example
 * const log = new ManifestEntryLog('/tmp/run/.manifest-entries.jsonl');
 * log.add({ key: 'AWSLogs/…/x.json.gz', body, contentType: 'application/x-gzip' });
 * log.end();
 * writeManifest('/tmp/run/trailsim-manifest.json', { seed: 7 }, log.path);
 */
export class ManifestEntryLog {
  private fd: number;
  private pending = '';

  constructor(readonly path: string) {
    // Opened now, so that a failure to create it comes before the run's first object.
    this.fd = openSync(path, 'w');
  }

  add(object: SinkObject): void {
    this.addEntry(manifestEntryOf(object));
  }

  /** Adds the entry of an object written elsewhere (see `FolderSink.adopt`). */
  addEntry(entry: ManifestEntry): void {
    this.pending += `${JSON.stringify(entry)}\n`;
    if (this.pending.length >= ENTRY_BUFFER_CHARS) this.flush();
  }

  /** Writes what is pending and closes the file. */
  end(): void {
    this.flush();
    this.close();
  }

  /** Closes the file without writing what is pending (the run is abandoned). */
  destroy(): void {
    this.pending = '';
    this.close();
  }

  private flush(): void {
    if (this.pending) writeSync(this.fd, this.pending);
    this.pending = '';
  }

  private close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Writes the manifest: the run's facts, then `files`, one entry a line in the order they were
 * written, read from the entry log 64 KB at a time. Synchronous: it is the last step of a run and
 * a signal cannot come between its writes.
 */
export function writeManifest(path: string, info: RunInfo, entriesPath: string): void {
  const out = openSync(path, 'w');
  try {
    const head = JSON.stringify({ ...info, files: [] }, null, 2);
    let pending = `${head.slice(0, head.lastIndexOf('[]'))}[`;
    let first = true;
    forEachLine(entriesPath, (line) => {
      pending += `${first ? '\n' : ',\n'}    ${line}`;
      first = false;
      if (pending.length >= ENTRY_BUFFER_CHARS) {
        writeSync(out, pending);
        pending = '';
      }
    });
    writeSync(out, `${pending}${first ? '' : '\n  '}]\n}\n`);
  } finally {
    closeSync(out);
  }
}

/** Calls `each` with every non-empty line of a UTF-8 file, reading it in 64 KB chunks. */
function forEachLine(path: string, each: (line: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    // A character split between two chunks is held back until the next one.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      const text = rest + (n > 0 ? decoder.write(chunk.subarray(0, n)) : decoder.end());
      const lines = text.split('\n');
      rest = n > 0 ? lines.pop()! : '';
      for (const line of lines) if (line) each(line);
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The keys an earlier run's manifest (its text) lists, each checked to name a place inside the
 * target: `--force` deletes them and `upload` reads them, so a key edited to lead outside stops the
 * run instead. `where` names the manifest in messages; `extraProblem` adds a rule of the sink (an
 * S3 prefix).
 */
export function previousRunKeys(
  text: string,
  where: string,
  extraProblem?: (key: string) => string | undefined,
): string[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new UsageError(where, `is not a trailsim manifest (${(err as Error).message})`);
  }
  return manifestKeys(manifest, where, extraProblem);
}

/** The checked keys of a parsed manifest's `files`, as `previousRunKeys` describes. */
export function manifestKeys(
  manifest: unknown,
  where: string,
  extraProblem: (key: string) => string | undefined = () => undefined,
): string[] {
  const files = (manifest as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new UsageError(`${where}: /files`, 'is missing: not a trailsim manifest');
  return files.map((f: unknown, i) => {
    const key = (f as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') throw new UsageError(`${where}: /files/${i}/key`, 'is not a string');
    const problem = keyProblem(key) ?? extraProblem(key);
    if (problem)
      throw new UsageError(
        `${where}: /files/${i}/key`,
        `"${key}" ${problem}: it does not name a place inside the target`,
      );
    return key;
  });
}
