import type { Rng } from '../shared/rng.js';

/**
 * Role session names as the tool that assumed the role writes them. A principal's session names
 * may hold placeholders filled per session from its creation time:
 * - `{nanos}`: Unix time in nanoseconds, 19 digits, as the AWS SDK for Go names a session it is
 *   not given a name for (`aws-go-sdk-1793520000123456789`; Terraform without `session_name`);
 * - `{pipeline}`: a CI pipeline or build number, growing with time;
 * - `{uuid}`: a fresh lowercase UUID (a CI workflow ID).
 * A name without placeholders is the same for every session (GitHub's configure-aws-credentials
 * action writes `GitHubActions`; a Lambda function's session is the function's name).
 *
 * @example sessionNameAt('aws-go-sdk-{nanos}', Date.parse('2026-11-02T09:00:00Z'), rng) // 'aws-go-sdk-1793610000…'
 */
export function sessionNameAt(name: string, creationDate: number, rng: Rng): string {
  if (!name.includes('{')) return name;
  return name.replace(/\{(nanos|pipeline|uuid)\}/g, (_, what: string) => {
    if (what === 'uuid') return rng.uuid();
    // The client names the session just before STS stamps its creation date.
    const seconds = Math.floor(creationDate / 1000) - rng.int(0, 1);
    if (what === 'nanos') return `${seconds}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    // About one pipeline every ten seconds across the CI service, numbered in order.
    return String(1_000_000_000 + Math.floor((seconds - 1_600_000_000) / 10));
  });
}
