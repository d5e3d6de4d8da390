import { createPrivateKey, type KeyObject } from 'node:crypto';

/** Modular inverse by the extended Euclidean algorithm. */
function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('invert: not invertible');
  return ((s0 % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** A DER element: tag, definite length, contents. */
function tlv(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes = unsigned(BigInt(n));
    length = Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, contents]);
}

/** The big-endian bytes of a non-negative integer, at least one. */
function unsigned(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** A DER INTEGER of a non-negative value (a zero byte first when the top bit is set). */
function integer(n: bigint): Buffer {
  const bytes = unsigned(n);
  return tlv(0x02, (bytes[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));

/**
 * The RSA private key of distinct primes (two or more) and public exponent `e`, imported from the
 * PKCS#1 DER written here (RFC 8017, A.1.2): d = e⁻¹ mod λ(n), the CRT exponents and coefficients,
 * and for a third prime on, `otherPrimeInfos` with version 1. Each further prime rᵢ carries the
 * coefficient (r₁·…·rᵢ₋₁)⁻¹ mod rᵢ. The primes are taken in the order given, the first as `prime1`.
 *
 * @example
 * const key = rsaPrivateKey([p, q, r, s], 65537n); // a KeyObject that node:crypto signs with
 * @throws Error when e is not invertible modulo λ(n) (a prime p with p − 1 divisible by e)
 */
export function rsaPrivateKey(primes: readonly bigint[], e: bigint): KeyObject {
  if (primes.length < 2 || new Set(primes).size !== primes.length) {
    throw new Error('rsaPrivateKey: needs two or more distinct primes');
  }
  const n = primes.reduce((a, b) => a * b, 1n);
  const lambda = primes.reduce((l, p) => (l / gcd(l, p - 1n)) * (p - 1n), 1n);
  const d = invert(e, lambda);
  const [p, q, ...others] = primes as [bigint, bigint, ...bigint[]];
  const fields = [
    integer(others.length > 0 ? 1n : 0n),
    integer(n),
    integer(e),
    integer(d),
    integer(p),
    integer(q),
    integer(d % (p - 1n)),
    integer(d % (q - 1n)),
    integer(invert(q, p)),
  ];
  if (others.length > 0) {
    let product = p * q;
    const infos: Buffer[] = [];
    for (const r of others) {
      infos.push(sequence(integer(r), integer(d % (r - 1n)), integer(invert(product, r))));
      product *= r;
    }
    fields.push(sequence(...infos));
  }
  return createPrivateKey({ key: sequence(...fields), format: 'der', type: 'pkcs1' });
}
