import type { Rng } from '../shared/rng.js';
import type { ClientKind } from '../world/clients.js';
import { negotiateTls, type TlsChoice } from '../world/tls-stack.js';

export { negotiateTls, TLS_CHOICES, type TlsChoice } from '../world/tls-stack.js';

/** tlsDetails exactly as CloudTrail writes them, in its key order. */
export function tlsDetailsOf(choice: TlsChoice, host: string): Record<string, string> {
  const details: Record<string, string> = {
    tlsVersion: choice.tlsVersion,
    cipherSuite: choice.cipherSuite,
    clientProvidedHostHeader: host,
  };
  if (choice.keyExchange) details.keyExchange = choice.keyExchange;
  return details;
}

/**
 * tlsDetails as a client's TLS stack negotiates it with the Regional endpoint (see `negotiateTls`).
 */
export function tlsDetails(
  kind: ClientKind,
  host: string,
  eventTime: number,
  rng: Rng,
): Record<string, string> {
  return tlsDetailsOf(negotiateTls(kind, eventTime, rng), host);
}
