import type { DigestFile, DigestLogFile } from '../generated/digest-file.js';
import type { LogFileFacts } from '../layout/log-file.js';
import { isoSeconds } from '../shared/time.js';
import { SIGNATURE_ALGORITHM } from './signature.js';

export type { DigestFile, DigestLogFile };

/** A signed digest as the next one in its chain refers to it. */
export interface PreviousDigest {
  bucket: string;
  key: string;
  /** Hex SHA-256 of its uncompressed bytes. */
  sha256: string;
  /** Hex signature. */
  signature: string;
}

/** How a digest lists a log file. */
export function digestEntry(bucket: string, file: LogFileFacts): DigestLogFile {
  return {
    s3Bucket: bucket,
    s3Object: file.key,
    hashValue: file.sha256,
    hashAlgorithm: 'SHA-256',
    newestEventTime: isoSeconds(file.newestEventTime),
    oldestEventTime: isoSeconds(file.oldestEventTime),
  };
}

/**
 * The body of one digest, fields in the order CloudTrail writes them. Newest and oldest event times
 * span every listed file and are null for an hour without files; the five `previousDigest*` fields
 * are null in a chain's first digest.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 *
 * @example
 * buildDigest({ accountId: '111122223333', start, end, bucket: 'b', key, fingerprint,
 *   logFiles: [], previous: null }).newestEventTime; // null
 */
export function buildDigest(d: {
  accountId: string;
  start: number;
  end: number;
  bucket: string;
  key: string;
  fingerprint: string;
  logFiles: DigestLogFile[];
  previous: PreviousDigest | null;
}): DigestFile {
  let newest: string | null = null;
  let oldest: string | null = null;
  // Whole-second UTC strings of one format compare like the times they stand for.
  for (const f of d.logFiles) {
    if (newest === null || f.newestEventTime > newest) newest = f.newestEventTime;
    if (oldest === null || f.oldestEventTime < oldest) oldest = f.oldestEventTime;
  }
  const p = d.previous;
  return {
    awsAccountId: d.accountId,
    digestStartTime: isoSeconds(d.start),
    digestEndTime: isoSeconds(d.end),
    digestS3Bucket: d.bucket,
    digestS3Object: d.key,
    digestPublicKeyFingerprint: d.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: newest,
    oldestEventTime: oldest,
    previousDigestS3Bucket: p ? p.bucket : null,
    previousDigestS3Object: p ? p.key : null,
    previousDigestHashValue: p ? p.sha256 : null,
    previousDigestHashAlgorithm: p ? 'SHA-256' : null,
    previousDigestSignature: p ? p.signature : null,
    logFiles: d.logFiles,
  };
}
