/** One log file as a trail delivers it, ready for a sink. */
export interface LogFile {
  /** The object key, relative to the bucket. */
  key: string;
  accountId: string;
  region: string;
  /** When CloudTrail delivered the file (epoch ms); the key's date and minute. */
  deliveryTime: number;
  /** The gzipped file, single member, mtime 0. */
  body: Uint8Array;
  /** Size of the uncompressed JSON in bytes. */
  rawBytes: number;
  /**
   * Hex SHA-256 of the uncompressed JSON, as digests list it; '' when the run writes no digests
   * (`EncodeOptions.hashRaw`).
   */
  sha256: string;
  /** Earliest and latest eventTime in the file (epoch ms). */
  oldestEventTime: number;
  newestEventTime: number;
  recordCount: number;
}

/** What stages and the run's counts read of a log file: everything but its bytes. */
export type LogFileFacts = Omit<LogFile, 'body'>;

/**
 * A log file a render worker has written into the sink's folder itself (see `FolderSink`): its
 * facts, and what the manifest says of the bytes on disk.
 */
export interface WrittenLogFile extends LogFileFacts {
  /** Size and hex SHA-256 of the gzipped file as written. */
  written: { bytes: number; sha256: string };
}
