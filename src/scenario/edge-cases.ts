import { UsageError } from '../shared/errors.js';
import type { EdgeCases, EdgeCaseSet } from '../generated/edge-cases.js';

export type { EdgeCases, EdgeCaseSet };

/** The kinds of edge case, in the order they are injected and listed. */
export type EdgeCaseKind = keyof EdgeCaseSet;

/** What a correct consumer does with an object that carries the case. */
export type ConsumerAction = 'accept' | 'deduplicate' | 'reject-and-continue';

/**
 * Every kind, with what a correct consumer does with it. `realistic` kinds are what CloudTrail
 * itself does; the others are broken objects.
 */
export const EDGE_CASE_KINDS: readonly { kind: EdgeCaseKind; realistic: boolean; action: ConsumerAction }[] =
  [
    { kind: 'duplicate-records', realistic: true, action: 'deduplicate' },
    { kind: 'late-file', realistic: true, action: 'accept' },
    { kind: 'old-events', realistic: true, action: 'accept' },
    { kind: 'burst-file', realistic: true, action: 'accept' },
    { kind: 'out-of-order', realistic: true, action: 'accept' },
    { kind: 'day-boundary', realistic: true, action: 'accept' },
    { kind: 'truncated-gzip', realistic: false, action: 'reject-and-continue' },
    { kind: 'not-gzip', realistic: false, action: 'reject-and-continue' },
    { kind: 'invalid-json', realistic: false, action: 'reject-and-continue' },
    { kind: 'empty-records', realistic: false, action: 'reject-and-continue' },
    { kind: 'no-records', realistic: false, action: 'reject-and-continue' },
    { kind: 'zero-byte', realistic: false, action: 'reject-and-continue' },
    { kind: 'missing-digest', realistic: false, action: 'reject-and-continue' },
    { kind: 'bad-signature', realistic: false, action: 'reject-and-continue' },
    { kind: 'missing-log-file', realistic: false, action: 'reject-and-continue' },
    { kind: 'bad-key', realistic: false, action: 'reject-and-continue' },
  ];

/** Kinds that break digests: a run without digests cannot have them. */
const DIGEST_KINDS = new Set<EdgeCaseKind>(['missing-digest', 'bad-signature']);

/** The built-in profiles `--edge-cases <name>` selects. */
export const EDGE_CASE_PROFILES: Record<NonNullable<EdgeCases['profile']>, EdgeCaseSet> = {
  /** What CloudTrail really does now and then; a consumer must take all of it without loss. */
  realistic: {
    'duplicate-records': { count: 3 },
    'late-file': { count: 2 },
    'old-events': { count: 1 },
    'burst-file': { count: 1 },
    'out-of-order': { count: 2 },
    'day-boundary': { count: 1 },
  },
  /** One of each broken object: a consumer must report each and lose nothing else. */
  hostile: Object.fromEntries(
    EDGE_CASE_KINDS.filter((k) => !k.realistic).map((k) => [k.kind, { count: 1 }]),
  ) as EdgeCaseSet,
};

/**
 * The edge cases of a scenario: the named profile's cases, overridden kind by kind by the cases
 * given. Checks what the schema cannot: a case gives a count or a rate, not both.
 *
 * @example resolveEdgeCases({ profile: 'realistic', cases: { 'late-file': { count: 5 } } }, (f) => f)
 *   // { profile: 'realistic', cases: { 'duplicate-records': { count: 3 }, 'late-file': { count: 5 }, … } }
 */
export function resolveEdgeCases(
  input: EdgeCases,
  where: (field: string) => string,
  digests = true,
): EdgeCases {
  const base = input.profile ? EDGE_CASE_PROFILES[input.profile] : {};
  if (input.profile && !base)
    throw new UsageError(where('edgeCases.profile'), `unknown profile "${String(input.profile)}"`);
  const cases: EdgeCaseSet = { ...base, ...input.cases };
  for (const [kind, c] of Object.entries(cases)) {
    if (!EDGE_CASE_KINDS.some((k) => k.kind === kind))
      throw new UsageError(where(`edgeCases.cases.${kind}`), `unknown edge case "${kind}"`);
    if (c.count !== undefined && c.rate !== undefined)
      throw new UsageError(where(`edgeCases.cases.${kind}`), 'give a count or a rate, not both');
    if (!digests && DIGEST_KINDS.has(kind as EdgeCaseKind) && (c.count !== 0 || c.rate !== 0))
      throw new UsageError(where(`edgeCases.cases.${kind}`), 'needs digests, and the run writes none');
    const zone = (c as { zone?: string }).zone;
    if (zone !== undefined && !isTimeZone(zone))
      throw new UsageError(where(`edgeCases.cases.${kind}.zone`), `"${zone}" is not an IANA time zone`);
  }
  return { ...(input.profile ? { profile: input.profile } : {}), cases };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
