import {
  checkPrimeSync,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSigningKey } from '../../src/digest/signing-key.js';
import { rsaPrivateKey } from '../../src/digest/rsa-private-key.js';

const E = 65537n;
const fromBase64url = (s: string): bigint => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);
const base64url = (n: bigint): string => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

/** The DER elements inside one constructed element: [tag, contents][]. */
function elements(der: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  for (let at = 0; at < der.length;) {
    const tag = der[at]!;
    let length = der[at + 1]!;
    let start = at + 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = der.readUIntBE(start, bytes);
      start += bytes;
    }
    out.push([tag, der.subarray(start, start + length)]);
    at = start + length;
  }
  return out;
}

/** A PKCS#1 RSAPrivateKey's fields, each further prime with its CRT exponent and coefficient. */
interface Pkcs1Fields {
  version: bigint;
  n: bigint;
  d: bigint;
  primes: bigint[];
  /** d mod (rᵢ − 1) for each prime, in order. */
  exponents: bigint[];
  /** q⁻¹ mod p, then for each prime after the second (r₁·…·rᵢ₋₁)⁻¹ mod rᵢ. */
  coefficients: bigint[];
}

/** The fields of a PKCS#1 RSAPrivateKey as node:crypto exports it, the primes beyond two included. */
function pkcs1Fields(der: Buffer): Pkcs1Fields {
  const [[, body]] = elements(der) as [[number, Buffer]];
  const fields = elements(body);
  const big = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);
  const int = (i: number): bigint => big(fields[i]![1]);
  const others = fields[9]
    ? elements(fields[9][1]).map(([, info]) => elements(info).map(([, v]) => big(v)))
    : [];
  return {
    version: int(0),
    n: int(1),
    d: int(3),
    primes: [int(4), int(5), ...others.map((o) => o[0]!)],
    exponents: [int(6), int(7), ...others.map((o) => o[1]!)],
    coefficients: [int(8), ...others.map((o) => o[2]!)],
  };
}

/**
 * Whether every CRT value is what RFC 8017 (A.1.2) says it is for the primes and d: each exponent
 * d mod (rᵢ − 1); the coefficient q⁻¹ mod p; each further prime's (r₁·…·rᵢ₋₁)⁻¹ mod rᵢ.
 */
function crtValuesHold(f: Pkcs1Fields): boolean {
  const [p, q] = f.primes as [bigint, bigint];
  if (f.primes.some((r, i) => f.exponents[i] !== f.d % (r - 1n))) return false;
  if ((f.coefficients[0]! * q) % p !== 1n) return false;
  let product = p * q;
  for (let i = 2; i < f.primes.length; i++) {
    const r = f.primes[i]!;
    if ((f.coefficients[i - 1]! * product) % r !== 1n) return false;
    product *= r;
  }
  return true;
}

/** A random prime of `bits` bits that makes a key with e = 65537 (p − 1 not divisible by e). */
function primeFor(bits: number): bigint {
  for (;;) {
    const p = generatePrimeSync(bits, { bigint: true });
    if ((p - 1n) % E !== 0n) return p;
  }
}

describe('rsaPrivateKey', () => {
  it('makes from two primes the key OpenSSL made of them: the same public key and signatures', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const key = rsaPrivateKey([fromBase64url(jwk.p!), fromBase64url(jwk.q!)], E);
    const der = (k: KeyObject): Buffer => createPublicKey(k).export({ type: 'pkcs1', format: 'der' });
    expect(der(key)).toEqual(publicKey.export({ type: 'pkcs1', format: 'der' }));
    // A signature is m^d mod n, the same for every valid d: equal signatures mean a working key.
    const data = Buffer.from('2026-11-01T01:00:00Z\nbucket/key\nabc\nnull');
    expect(sign('sha256', data, key)).toEqual(sign('sha256', data, privateKey));
  });

  it('makes a four-prime key (PKCS#1 version 1) whose signatures verify with the plain public key', () => {
    const primes = Array.from({ length: 4 }, () => primeFor(512));
    const key = rsaPrivateKey(primes, E);
    const fields = pkcs1Fields(key.export({ type: 'pkcs1', format: 'der' }));
    expect(fields.version).toBe(1n);
    expect(fields.primes).toEqual(primes);
    const n = primes.reduce((a, b) => a * b, 1n);
    expect(fields.n).toBe(n);
    expect(crtValuesHold(fields)).toBe(true);
    // The public key built from n and e alone, not from the private key object.
    const published = createPublicKey({ key: { kty: 'RSA', n: base64url(n), e: 'AQAB' }, format: 'jwk' });
    for (const text of ['a', 'digest\nbucket/key\nabc\nnull', 'x'.repeat(1000)]) {
      const signature = sign('sha256', Buffer.from(text), key);
      expect(signature).toHaveLength(n.toString(16).length / 2);
      expect(verify('sha256', Buffer.from(text), published, signature)).toBe(true);
      expect(verify('sha256', Buffer.from(`${text}.`), published, signature)).toBe(false);
    }
  });

  it('refuses fewer than two primes and repeated primes', () => {
    const p = generatePrimeSync(256, { bigint: true });
    expect(() => rsaPrivateKey([p], E)).toThrow(/two or more distinct primes/);
    expect(() => rsaPrivateKey([p, p], E)).toThrow(/two or more distinct primes/);
  });
});

describe('deriveSigningKey', () => {
  it('is made of four distinct 512-bit primes whose product has 2048 bits', () => {
    for (const seed of [1, 42, 2026]) {
      const fields = pkcs1Fields(deriveSigningKey(seed).privateKey.export({ type: 'pkcs1', format: 'der' }));
      expect(fields.primes).toHaveLength(4);
      expect(new Set(fields.primes).size).toBe(4);
      for (const p of fields.primes) {
        expect(p.toString(2)).toHaveLength(512);
        expect(checkPrimeSync(p)).toBe(true);
        expect((p - 1n) % E).not.toBe(0n);
      }
      expect(fields.primes.reduce((a, b) => a * b, 1n)).toBe(fields.n);
      expect(fields.n.toString(2)).toHaveLength(2048);
      for (const p of fields.primes) expect((fields.d * E) % (p - 1n)).toBe(1n);
      expect(crtValuesHold(fields)).toBe(true);
    }
  });
});
