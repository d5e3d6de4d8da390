/** An object to store: a log file, a digest file, or a side file such as the manifest. */
export interface SinkObject {
  key: string;
  body: Uint8Array;
  /** e.g. `application/x-gzip` for log and digest files, `application/json` for a manifest. */
  contentType: string;
  /** User metadata (S3 `x-amz-meta-*`), e.g. a digest's `signature` and `signature-algorithm`. */
  metadata?: Record<string, string>;
}
