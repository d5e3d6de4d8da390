import type { SinkObject } from '../layout/sink-object.js';
import type { ManifestEntry } from './manifest.js';

export type { SinkObject };

/**
 * The only place that writes. A sink stores objects under keys; `close` finishes the run (flushes,
 * writes side files that need the whole run, renames into place). `abort` leaves nothing half-written.
 */
export interface Sink {
  put(object: SinkObject): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A sink that stores objects as files under a local folder of its own until `close` moves them into
 * place, and lets other threads write log files there themselves: a render worker writes a file at
 * `join(stagingFolder, key)` (see `StagedFiles`) and the run `adopt`s it here instead of `put`ting
 * it. An adopted file is the sink's like any other: `abort` removes it, `close` moves it into place.
 */
export interface FolderSink extends Sink {
  readonly stagingFolder: string;
  /** Counts a file written under `stagingFolder` as if `put` had stored it. */
  adopt(entry: ManifestEntry): void;
}

/** The sink as a FolderSink, or undefined when it stores objects some other way. */
export function folderSinkOf(sink: Sink): FolderSink | undefined {
  const s = sink as Partial<FolderSink>;
  return typeof s.stagingFolder === 'string' && typeof s.adopt === 'function'
    ? (sink as FolderSink)
    : undefined;
}
