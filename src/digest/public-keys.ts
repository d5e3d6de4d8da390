import type { SigningKey } from './signing-key.js';

/** The side file that publishes the signing key, next to `AWSLogs/`. */
export const PUBLIC_KEYS_NAME = 'trailsim-public-keys.json';

/** One entry of CloudTrail's `ListPublicKeys` answer. */
export interface PublicKeyEntry {
  /** Base64 of the PKCS#1 `RSAPublicKey` DER. */
  Value: string;
  /** Epoch seconds, as the API's JSON carries timestamps. */
  ValidityStartTime: number;
  ValidityEndTime: number;
  Fingerprint: string;
}

/** The body of `ListPublicKeys`, which a stand-in CloudTrail endpoint can return as is. */
export interface PublicKeyList {
  PublicKeyList: PublicKeyEntry[];
}

/**
 * The public key as `ListPublicKeys` returns it, valid over [fromMs, toMs].
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 *
 * @example
 * publicKeyList(key, start, end).PublicKeyList[0].Fingerprint === key.fingerprint; // true
 */
export function publicKeyList(key: SigningKey, fromMs: number, toMs: number): PublicKeyList {
  return {
    PublicKeyList: [
      {
        Value: key.publicKeyDer.toString('base64'),
        ValidityStartTime: Math.floor(fromMs / 1000),
        ValidityEndTime: Math.ceil(toMs / 1000),
        Fingerprint: key.fingerprint,
      },
    ],
  };
}
