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
