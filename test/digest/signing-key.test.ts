import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { deriveSigningKey, loadSigningKey } from '../../src/digest/signing-key.js';
import { signDigest, verifyDigestSignature } from '../../src/digest/signature.js';
import { UsageError } from '../../src/shared/errors.js';
import { scratchFolder } from '../helpers/tree.js';

describe('deriveSigningKey', () => {
  it('gives the same RSA-2048 key for the same seed', () => {
    const a = deriveSigningKey(11);
    const b = deriveSigningKey(11);
    expect(a.publicKeyDer.equals(b.publicKeyDer)).toBe(true);
    expect(a.privateKey.export({ type: 'pkcs1', format: 'pem' })).toBe(
      b.privateKey.export({ type: 'pkcs1', format: 'pem' }),
    );
    expect(a.privateKey.asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
  });

  it('derives the same key on the thread pool (deriveSigningKeyAsync) as on the calling thread', async () => {
    // Fresh module instances, so that neither answer comes from the other's cache.
    const pem = (k: { privateKey: { export(o: object): string | Buffer } }) =>
      k.privateKey.export({ type: 'pkcs1', format: 'pem' });
    for (const seed of [1, 42, 2026]) {
      vi.resetModules();
      const pool = await import('../../src/digest/signing-key.js');
      const asyncKey = await pool.deriveSigningKeyAsync(seed);
      vi.resetModules();
      const calling = await import('../../src/digest/signing-key.js');
      expect(pem(asyncKey)).toBe(pem(calling.deriveSigningKey(seed)));
    }
  });

  it('gives different keys for different seeds', () => {
    const fingerprints = new Set([12, 13, 14].map((s) => deriveSigningKey(s).fingerprint));
    expect(fingerprints.size).toBe(3);
  });

  it('publishes the public key as PKCS#1 DER with the MD5 of that DER as fingerprint', () => {
    const key = deriveSigningKey(11);
    // A PKCS#1 RSAPublicKey is SEQUENCE { modulus, exponent }: no algorithm identifier as in SPKI.
    const parsed = createPublicKey({ key: key.publicKeyDer, format: 'der', type: 'pkcs1' });
    expect(parsed.export({ type: 'spki', format: 'der' })).toEqual(
      key.publicKey.export({ type: 'spki', format: 'der' }),
    );
    expect(key.publicKeyDer.subarray(0, 4).toString('hex')).toBe('3082010a');
    expect(key.fingerprint).toBe(createHash('md5').update(key.publicKeyDer).digest('hex'));
    expect(key.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('signs SHA256withRSA so that node:crypto verifies with the published key', () => {
    const key = deriveSigningKey(11);
    const data = Buffer.from('2026-11-01T01:00:00Z\nbucket/key\nabc\nnull');
    const signature = sign('sha256', data, key.privateKey);
    const published = createPublicKey({ key: key.publicKeyDer, format: 'der', type: 'pkcs1' });
    expect(verify('sha256', data, published, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), published, signature)).toBe(false);
    expect(verify('sha256', data, deriveSigningKey(12).publicKey, signature)).toBe(false);
  });
});

describe('signDigest', () => {
  const key = deriveSigningKey(11);
  const fields = {
    digestEndTime: '2026-11-01T01:16:24Z',
    digestS3Bucket: 'b-1',
    digestS3Object: 'AWSLogs/x.json.gz',
    previousDigestSignature: null,
  };
  const sha = 'ab'.repeat(32);

  it('signs the string CloudTrail signs, with "null" for a first digest', () => {
    const hex = signDigest(key.privateKey, fields, sha);
    expect(hex).toMatch(/^[0-9a-f]{512}$/);
    const expected = Buffer.from(`2026-11-01T01:16:24Z\nb-1/AWSLogs/x.json.gz\n${sha}\nnull`);
    expect(verify('sha256', expected, key.publicKey, Buffer.from(hex, 'hex'))).toBe(true);
    expect(verifyDigestSignature(key.publicKey, fields, sha, hex)).toBe(true);
    expect(verifyDigestSignature(key.publicKey, { ...fields, previousDigestSignature: 'aa' }, sha, hex)).toBe(
      false,
    );
    expect(verifyDigestSignature(key.publicKey, fields, 'cd'.repeat(32), hex)).toBe(false);
  });
});

describe('loadSigningKey', () => {
  const dir = scratchFolder('key');

  it('reads a PEM private key and derives its public half and fingerprint', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const path = join(dir, 'key.pem');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const key = loadSigningKey(path);
    const der = publicKey.export({ type: 'pkcs1', format: 'der' });
    expect(key.publicKeyDer.equals(der)).toBe(true);
    expect(key.fingerprint).toBe(createHash('md5').update(der).digest('hex'));
  });

  it('refuses short keys, non-RSA keys and non-keys with a usage error naming the flag', () => {
    const short = join(dir, 'short.pem');
    writeFileSync(
      short,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }),
    );
    const ec = join(dir, 'ec.pem');
    writeFileSync(
      ec,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    expect(() => loadSigningKey(short)).toThrow(/--signing-key: .*1024-bit/);
    expect(() => loadSigningKey(ec)).toThrow(/--signing-key: .*ec key/);
    expect(() => loadSigningKey(junk)).toThrow(UsageError);
    expect(() => loadSigningKey(join(dir, 'missing.pem'))).toThrow(/--signing-key: cannot read/);
  });
});
