/** An object to store: a log file, a digest file, or a side file such as the manifest. */
export interface SinkObject {
  key: string;
  body: Uint8Array;
  /** e.g. `application/x-gzip` for log and digest files, `application/json` for a manifest. */
  contentType: string;
  /** User metadata (S3 `x-amz-meta-*`), e.g. a digest's `signature` and `signature-algorithm`. */
  metadata?: Record<string, string>;
}

/**
 * The only place that writes. A sink stores objects under keys; `close` finishes the run (flushes,
 * writes side files that need the whole run, renames into place). `abort` leaves nothing half-written.
 */
export interface Sink {
  put(object: SinkObject): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
