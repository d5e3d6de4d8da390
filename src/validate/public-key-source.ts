import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_KEYS_NAME, type PublicKeyList } from '../digest/public-keys.js';
import { UsageError } from '../shared/errors.js';

/** Public keys by fingerprint. */
export type PublicKeys = Map<string, KeyObject>;

/** Reads a `ListPublicKeys` body: base64 PKCS#1 DER values by fingerprint. */
function keysFromList(list: PublicKeyList, where: string): PublicKeys {
  const keys: PublicKeys = new Map();
  if (!list || !Array.isArray(list.PublicKeyList)) throw new UsageError(where, 'has no PublicKeyList');
  for (const [i, entry] of list.PublicKeyList.entries()) {
    try {
      keys.set(
        entry.Fingerprint,
        createPublicKey({ key: Buffer.from(entry.Value, 'base64'), format: 'der', type: 'pkcs1' }),
      );
    } catch {
      throw new UsageError(`${where}: /PublicKeyList/${i}/Value`, 'is not a base64 PKCS#1 RSA public key');
    }
  }
  return keys;
}

/**
 * The public keys to check signatures with: a file given by the user (a PEM public or private key,
 * or a `ListPublicKeys` JSON body), else `trailsim-public-keys.json` at the root of the tree, else
 * none. A PEM key's fingerprint is taken as trailsim computes it: MD5 of its PKCS#1 DER.
 *
 * @example
 * loadPublicKeys('out', undefined).size; // 1 for a tree trailsim wrote
 */
export function loadPublicKeys(root: string, file: string | undefined): PublicKeys {
  const path = file ?? join(root, PUBLIC_KEYS_NAME);
  const where = file !== undefined ? `--public-key ${file}` : path;
  if (file === undefined && !existsSync(path)) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(where, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (text.trimStart().startsWith('{')) {
    let list: PublicKeyList;
    try {
      list = JSON.parse(text) as PublicKeyList;
    } catch {
      throw new UsageError(where, 'is not valid JSON');
    }
    return keysFromList(list, where);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new UsageError(where, 'is neither a PEM key nor a ListPublicKeys JSON body');
  }
  const der = key.export({ type: 'pkcs1', format: 'der' });
  return new Map([[createHash('md5').update(der).digest('hex'), key]]);
}
