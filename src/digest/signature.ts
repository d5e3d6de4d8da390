import { sign, verify, type KeyObject } from 'node:crypto';

/** The only algorithm CloudTrail uses, as digests and S3 metadata name it. */
export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

/** What a digest's signature covers, besides the digest's own bytes. */
export interface SignedFields {
  /** `digestEndTime`, verbatim. */
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  /** `previousDigestSignature`, or null in a starting digest. */
  previousDigestSignature: string | null;
}

/**
 * The string CloudTrail signs: end time, `bucket/key`, hex SHA-256 of the uncompressed digest and
 * the previous signature (`null` spelled out, to match AWS's Java implementation).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html
 *
 * @example
 * stringToSign({ digestEndTime: '2015-08-17T15:01:31Z', digestS3Bucket: 'b', digestS3Object: 'k',
 *   previousDigestSignature: null }, 'ab12…');
 * // '2015-08-17T15:01:31Z\nb/k\nab12…\nnull'
 */
export function stringToSign(fields: SignedFields, digestSha256Hex: string): string {
  return (
    `${fields.digestEndTime}\n${fields.digestS3Bucket}/${fields.digestS3Object}\n` +
    `${digestSha256Hex}\n${fields.previousDigestSignature ?? 'null'}`
  );
}

/**
 * Signs a digest: RSA PKCS#1 v1.5 over SHA-256 (Java's SHA256withRSA), hex, as S3 metadata
 * `signature` carries it. Deterministic: the same key and digest give the same signature.
 *
 * @example
 * const hex = signDigest(key.privateKey, fields, sha256Hex(rawDigest)); // 512 hex characters
 */
export function signDigest(privateKey: KeyObject, fields: SignedFields, digestSha256Hex: string): string {
  return sign('sha256', Buffer.from(stringToSign(fields, digestSha256Hex), 'utf8'), privateKey).toString(
    'hex',
  );
}

/**
 * `signDigest` on libuv's thread pool, so that digests of several chains are signed at once.
 *
 * @example
 * const hex = await signDigestAsync(key.privateKey, fields, sha256Hex(rawDigest));
 */
export function signDigestAsync(
  privateKey: KeyObject,
  fields: SignedFields,
  digestSha256Hex: string,
): Promise<string> {
  const data = Buffer.from(stringToSign(fields, digestSha256Hex), 'utf8');
  return new Promise((resolve, reject) =>
    sign('sha256', data, privateKey, (err, signature) =>
      err ? reject(err) : resolve(signature.toString('hex')),
    ),
  );
}

/** Whether `signatureHex` is a valid signature of the digest under `publicKey`. */
export function verifyDigestSignature(
  publicKey: KeyObject,
  fields: SignedFields,
  digestSha256Hex: string,
  signatureHex: string,
): boolean {
  if (!/^(?:[0-9a-f]{2})+$/i.test(signatureHex)) return false;
  return verify(
    'sha256',
    Buffer.from(stringToSign(fields, digestSha256Hex), 'utf8'),
    publicKey,
    Buffer.from(signatureHex, 'hex'),
  );
}
