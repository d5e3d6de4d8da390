import type { Rng } from '../shared/rng.js';

/** Base32 (RFC 4648): the alphabet of access key IDs after their prefix. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * An access key ID of the current format, which carries its account: the 16 characters after the
 * prefix are 80 bits of base32; the first bit marks the new key generation, the next 40 bits are
 * the 12-digit account ID, the other 39 bits vary per key. Forensic tools read the account back
 * (bits masked with `0x7fffffffff80` in the first 48, shifted right by 7), so every key of an
 * account shares its characters 5 to 12. The format is not documented by AWS; it is public research:
 * https://medium.com/@TalBeerySec/a-short-note-on-aws-key-id-f88cc4317489 and
 * https://labs.withsecure.com/publications/a-bitwise-analysis-of-aws-access-key-identifiers.html
 *
 * @example accessKeyId('ASIA', '609629065308', rng) // 'ASIAY34FZKBO…', like 'ASIAY34FZKBOKMUTVV7A'
 */
export function accessKeyId(prefix: 'AKIA' | 'ASIA', accountId: string, rng: Rng): string {
  // 48 bits: generation bit, 40 account bits, 7 free bits; exact in a double (below 2^53).
  const head = 2 ** 47 + Number(accountId) * 128 + rng.int(0, 127);
  let out = prefix;
  // The first 45 bits are 9 characters; the 10th takes the last 3 bits of the head and 2 free bits.
  for (let shift = 43; shift >= 3; shift -= 5) out += BASE32[Math.floor(head / 2 ** shift) % 32];
  out += BASE32[(head % 8) * 4 + rng.int(0, 3)];
  // The remaining 30 bits are free: 6 characters.
  return out + rng.chars(6, BASE32);
}
