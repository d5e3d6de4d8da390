import { UsageError } from '../shared/errors.js';
import { normalizeKeyPrefix } from '../shared/object-key.js';

/** A place in S3: a bucket and a key prefix (no leading or trailing slash; empty for none). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** True for `s3://…` output arguments. */
export function isS3Url(text: string): boolean {
  return text.startsWith('s3://');
}

/**
 * Parses `s3://<bucket>[/<prefix>]`.
 *
 * @example
 * parseS3Url('s3://my-trail-bucket/team/a/', '--out'); // { bucket: 'my-trail-bucket', prefix: 'team/a' }
 */
export function parseS3Url(text: string, where: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (!m) throw new UsageError(where, `"${text}" is not an S3 URL such as s3://my-bucket/prefix`);
  const bucket = m[1]!;
  // Bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new UsageError(where, `"${bucket}" is not a valid S3 bucket name`);
  const checked = normalizeKeyPrefix(m[2] ?? '');
  if (checked.problem !== undefined)
    throw new UsageError(where, `"${m[2]}" is not a usable key prefix: it ${checked.problem}`);
  return { bucket, prefix: checked.prefix };
}

/** `s3://bucket/prefix/` for messages. */
export function formatS3Url(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.prefix ? `${loc.prefix}/` : ''}`;
}
