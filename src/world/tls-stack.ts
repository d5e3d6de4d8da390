import type { Rng } from '../shared/rng.js';

/** `keyExchange` appeared in tlsDetails in 2025; earlier records never carry it. */
const KEY_EXCHANGE_FROM = Date.parse('2025-06-01T00:00:00Z');
/** When AWS endpoints began offering TLS 1.3, and when most clients negotiated it. */
const TLS13_FROM = Date.parse('2023-06-01T00:00:00Z');
const TLS13_COMMON_FROM = Date.parse('2024-06-01T00:00:00Z');

/** What a client negotiated: everything of tlsDetails except the host, which is the endpoint's. */
export interface TlsChoice {
  tlsVersion: 'TLSv1.2' | 'TLSv1.3';
  cipherSuite: string;
  keyExchange?: string;
}

const TLS12: TlsChoice = { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' };
const TLS12_KX: TlsChoice = { ...TLS12, keyExchange: 'secp256r1' };
const TLS13: TlsChoice = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' };
const TLS13_PQ: TlsChoice = { ...TLS13, keyExchange: 'X25519MLKEM768' };
const TLS13_X25519: TlsChoice = { ...TLS13, keyExchange: 'x25519' };

/** Every choice `negotiateTls` can return, so a renderer can serialise each once per host. */
export const TLS_CHOICES: readonly TlsChoice[] = [TLS12, TLS12_KX, TLS13, TLS13_PQ, TLS13_X25519];

/**
 * What an installation's TLS stack (of a client kind, `ClientKind`) negotiates with Regional endpoints at `ms`. The triple depends on
 * the client build and its TLS library, so it is drawn once per installation, never per call.
 * Modern SDKs and the CLI speak TLS 1.3; older Java stacks TLS 1.2. Newer Go and CRT-based clients
 * offer the post-quantum hybrid key exchange. Returns one of the shared `TLS_CHOICES` objects.
 *
 * @example negotiateTls('aws-cli', Date.parse('2026-11-01T00:00:00Z'), rng).tlsVersion // 'TLSv1.3'
 */
export function negotiateTls(kind: string, ms: number, rng: Rng): TlsChoice {
  // Regional endpoints came to TLS 1.3 through 2023 and 2024: before, every client spoke 1.2.
  const tls13Share = ms < TLS13_FROM ? 0 : ms < TLS13_COMMON_FROM ? 0.5 : 1;
  const tls12 = !rng.chance(tls13Share) || (kind === 'sdk-java-v2' ? rng.chance(0.3) : rng.chance(0.04));
  const recent = ms >= KEY_EXCHANGE_FROM;
  if (tls12) return recent ? TLS12_KX : TLS12;
  if (!recent) return TLS13;
  const pq = kind === 'terraform' || kind === 'sdk-go-v2' ? 0.9 : kind === 'aws-cli' ? 0.5 : 0.15;
  return rng.chance(pq) ? TLS13_PQ : TLS13_X25519;
}
