import type { Rng } from '../random/rng.js';
import type { ClientKind } from '../world/clients.js';

/** `keyExchange` appeared in tlsDetails in 2025; earlier records never carry it. */
const KEY_EXCHANGE_FROM = Date.parse('2025-06-01T00:00:00Z');
/** When AWS endpoints began offering TLS 1.3, and when most clients negotiated it. */
const TLS13_FROM = Date.parse('2023-06-01T00:00:00Z');
const TLS13_COMMON_FROM = Date.parse('2024-06-01T00:00:00Z');

/**
 * tlsDetails as the client's TLS stack negotiates it with the Regional endpoint. Modern SDKs and
 * the CLI speak TLS 1.3; older Java stacks TLS 1.2. Newer Go and CRT-based clients offer the
 * post-quantum hybrid key exchange.
 */
export function tlsDetails(
  kind: ClientKind,
  host: string,
  eventTime: number,
  rng: Rng,
): Record<string, string> {
  // Regional endpoints came to TLS 1.3 through 2023 and 2024: before, every client spoke 1.2.
  const tls13Share = eventTime < TLS13_FROM ? 0 : eventTime < TLS13_COMMON_FROM ? 0.5 : 1;
  const tls12 = !rng.chance(tls13Share) || (kind === 'sdk-java-v2' ? rng.chance(0.3) : rng.chance(0.04));
  const recent = eventTime >= KEY_EXCHANGE_FROM;
  if (tls12) {
    const details: Record<string, string> = {
      tlsVersion: 'TLSv1.2',
      cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      clientProvidedHostHeader: host,
    };
    if (recent) details.keyExchange = 'secp256r1';
    return details;
  }
  const details: Record<string, string> = {
    tlsVersion: 'TLSv1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    clientProvidedHostHeader: host,
  };
  if (recent) {
    const pq = kind === 'terraform' || kind === 'sdk-go-v2' ? 0.9 : kind === 'aws-cli' ? 0.5 : 0.15;
    details.keyExchange = rng.chance(pq) ? 'X25519MLKEM768' : 'x25519';
  }
  return details;
}
