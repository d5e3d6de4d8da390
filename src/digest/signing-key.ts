import {
  checkPrime,
  checkPrimeSync,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.js';
import { Rng } from '../shared/rng.js';
import { rsaPrivateKey } from './rsa-private-key.js';

/**
 * The key pair that signs digest files, with the public half as CloudTrail publishes it.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a PKCS#1 `RSAPublicKey`, DER: what `ListPublicKeys` returns in `Value`. */
  publicKeyDer: Buffer;
  /**
   * 32 hex characters, as digests carry it in `digestPublicKeyFingerprint`. CloudTrail does not
   * document how it computes its fingerprints; trailsim uses the MD5 of `publicKeyDer`.
   */
  fingerprint: string;
}

/**
 * RSA-2048 like CloudTrail's keys, from four 512-bit primes rather than two of 1024 bits (RFC 8017
 * multi-prime RSA). Signing works prime by prime (the CRT), and four exponentiations modulo 512-bit
 * primes cost OpenSSL about a third of two modulo 1024-bit ones: 0.23 against 0.81 ms a signature
 * here, and a run signs every digest of every hour. Three primes of 683 bits are no faster (0.72 to
 * 0.80 ms: OpenSSL's fast paths want 512 or 1024 bits). Nothing outside can tell: the public key
 * is a 2048-bit modulus and exponent, and a signature is the same function of them and the data
 * whatever the primes are. OpenSSL accepts up to five primes in a key it is given, though it
 * generates at most three for 2048 bits.
 */
const PRIME_COUNT = 4;
const PRIME_BITS = 512;
const E = 65537n;

/** Odd primes below 2^12: a sieve that discards most candidates before the expensive test. */
const SMALL_PRIMES: readonly number[] = (() => {
  const limit = 4096;
  const composite = new Uint8Array(limit);
  const out: number[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return out;
})();

/** A uniformly drawn integer of `bits` bits (bits a multiple of 8), big-endian, from the stream. */
function randomBits(rng: Rng, bits: number): bigint {
  let hex = '';
  for (let i = 0; i < bits / 8; i++) hex += rng.int(0, 255).toString(16).padStart(2, '0');
  return BigInt(`0x${hex}`);
}

/**
 * A random odd start with the three top bits set: each prime is then at least 1.75·2⁵¹¹, so the
 * product of four has exactly 2048 bits (1.75⁴·2²⁰⁴⁴ > 2²⁰⁴⁷).
 */
function drawStart(rng: Rng): bigint {
  const top = 7n << BigInt(PRIME_BITS - 3);
  return randomBits(rng, PRIME_BITS) | top | 1n;
}

/**
 * The numbers at or after `start`, in order, that may be primes p with gcd(e, p − 1) = 1: an
 * incremental sieve, whose residues modulo the small primes are computed once and stepped, so
 * most numbers cost a few additions. The first of them that OpenSSL's Miller–Rabin
 * (`checkPrime`) finds prime is the prime; its answer is the same for the same number on any machine.
 */
function* candidates(start: bigint): Generator<bigint> {
  const residues = SMALL_PRIMES.map((p) => Number(start % BigInt(p)));
  for (let step = 0; ; step += 2) {
    let divisible = false;
    for (let i = 0; i < SMALL_PRIMES.length; i++) {
      if ((residues[i]! + step) % SMALL_PRIMES[i]! === 0) {
        divisible = true;
        break;
      }
    }
    if (divisible) continue;
    const candidate = start + BigInt(step);
    if ((candidate - 1n) % E === 0n) continue;
    yield candidate;
  }
}

function searchPrime(start: bigint): bigint {
  for (const candidate of candidates(start)) if (checkPrimeSync(candidate)) return candidate;
  throw new Error('searchPrime: the candidates ran out (a bug)');
}

/**
 * Candidates queued for testing at once per prime. The pool goes on testing while the main thread
 * is busy (the world is prepared meanwhile), which with one or two queued it could not: each next
 * test waited for a turn of the event loop. A 512-bit prime takes ~4 ms to confirm (OpenSSL's
 * Miller–Rabin rounds), a composite ~0.1 ms, so candidates tested in vain after the prime cost
 * about a millisecond at most.
 */
const TESTS_IN_FLIGHT = 8;

/**
 * `searchPrime` on libuv's thread pool: several candidates are tested at once, and the first
 * prime in candidate order wins, so the answer is the same. Tests still running when it is found
 * are left to finish unread.
 */
async function searchPrimeAsync(start: bigint): Promise<bigint> {
  const next = candidates(start);
  const testing: { candidate: bigint; prime: Promise<boolean> }[] = [];
  for (;;) {
    while (testing.length < TESTS_IN_FLIGHT) {
      const candidate = next.next().value as bigint;
      const prime = new Promise<boolean>((resolve, reject) =>
        checkPrime(candidate, (err, result) => (err ? reject(err) : resolve(result))),
      );
      // A test left unread must not fail the process; a test read reports its own error.
      prime.catch(() => undefined);
      testing.push({ candidate, prime });
    }
    const first = testing.shift()!;
    if (await first.prime) return first.candidate;
  }
}

/** Completes a key from its private half: public key, PKCS#1 DER and fingerprint. */
export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const publicKeyDer = publicKey.export({ type: 'pkcs1', format: 'der' });
  const fingerprint = createHash('md5').update(publicKeyDer).digest('hex');
  return { privateKey, publicKey, publicKeyDer, fingerprint };
}

/** The key of the primes, the largest first (as `prime1`). */
function keyFromPrimes(primes: readonly bigint[]): SigningKey {
  return signingKeyFrom(
    rsaPrivateKey(
      [...primes].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)),
      E,
    ),
  );
}

const derived = new Map<number, SigningKey>();

/**
 * The RSA-2048 key pair of a seed (four primes, see `PRIME_COUNT`): the same seed gives the same
 * key on every machine, so a run's signatures are byte-identical. Node's `generateKeyPair` cannot be
 * seeded, so the primes are found here from the seeded stream `signing-key`. Kept in memory per
 * seed (a search takes tens of ms). Only for fixtures: anyone who knows the seed knows the private
 * key.
 *
 * @example
 * const key = deriveSigningKey(42);
 * key.fingerprint; // 32 hex characters, the same for seed 42 everywhere
 */
export function deriveSigningKey(seed: number): SigningKey {
  const cached = derived.get(seed);
  if (cached) return cached;
  const rng = new Rng(seed).fork('signing-key');
  const primes = drawStarts(rng).map(searchPrime);
  for (let i = 1; i < primes.length; i++) {
    while (primes.indexOf(primes[i]!) < i) primes[i] = searchPrime(drawStart(rng));
  }
  const key = keyFromPrimes(primes);
  derived.set(seed, key);
  return key;
}

/**
 * The starts of the prime searches, all drawn before any search (a search draws nothing), so that
 * the searches can run at once and still give what one search after another gives. A prime equal
 * to an earlier one (vanishingly rare) is searched again from a start drawn after these.
 */
function drawStarts(rng: Rng): bigint[] {
  return Array.from({ length: PRIME_COUNT }, () => drawStart(rng));
}

/**
 * `deriveSigningKey` off the main thread: the same key, its primes searched on libuv's thread pool,
 * all at once, while the caller goes on (a run prepares its world meanwhile).
 *
 * @example
 * const key = deriveSigningKeyAsync(42); // a promise: start it early, await it when signing
 * (await key).fingerprint === deriveSigningKey(42).fingerprint; // true
 */
export async function deriveSigningKeyAsync(seed: number): Promise<SigningKey> {
  const cached = derived.get(seed);
  if (cached) return cached;
  const rng = new Rng(seed).fork('signing-key');
  const primes = await Promise.all(drawStarts(rng).map(searchPrimeAsync));
  for (let i = 1; i < primes.length; i++) {
    while (primes.indexOf(primes[i]!) < i) primes[i] = await searchPrimeAsync(drawStart(rng));
  }
  const key = derived.get(seed) ?? keyFromPrimes(primes);
  derived.set(seed, key);
  return key;
}

/**
 * Reads an RSA private key (PEM, PKCS#1 or PKCS#8, unencrypted) of at least 2048 bits, as given
 * with `--signing-key`.
 *
 * @example
 * // openssl genrsa -out key.pem 2048
 * const key = loadSigningKey('key.pem');
 */
export function loadSigningKey(path: string, where = '--signing-key'): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(where, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new UsageError(where, `${path} is not an unencrypted PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new UsageError(
      where,
      `${path} holds a ${privateKey.asymmetricKeyType ?? 'non-RSA'} key; digests need RSA`,
    );
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new UsageError(where, `${path} holds a ${bits}-bit RSA key; use 2048 bits or more`);
  return signingKeyFrom(privateKey);
}
