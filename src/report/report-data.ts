/**
 * What the report page shows: every figure, computed once by `collectReport` and embedded in the
 * page as JSON. Sizes depend on the period, the cast and the layout (hours, principals, Regions,
 * accounts), never on the number of records.
 */

/** A named count, with its failed calls. */
export interface Row {
  name: string;
  count: number;
  errors: number;
}

export interface Caller extends Row {
  identityType: string;
  denied: number;
  /** Client families (see `clientOf`) with their calls, busiest first. */
  clients: { name: string; count: number }[];
}

/** One account and Region's chain of digest files. */
export interface DigestChain {
  account: string;
  region: string;
  digests: number;
  /** Hours of the period the digests cover (sum of their spans). */
  hoursCovered: number;
  /** Digests that start a new chain or do not link to the one before them. */
  breaks: number;
  /** Indices into `ReportData.digestHours` of the hours a digest covers, and those a break falls in. */
  covered: number[];
  breakAt: number[];
}

/** An incident (labels file) or an injected edge case (manifest), placed on the time axis. */
export interface Marker {
  kind: 'incident' | 'edge case';
  name: string;
  /** Epoch ms; `end` equals `start` for an instant. */
  start: number;
  end: number;
  /** Records the label names (eventIDs), or 0 where it names none. */
  records: number;
  detail: string;
}

export interface ReportData {
  /** The tree's folder, as given. */
  tree: string;
  records: number;
  files: number;
  /** eventTime of the first and last record (epoch ms), as `trailsim stats` reports them. */
  first: number | null;
  last: number | null;
  errors: number;
  denied: number;
  throttled: number;
  principals: number;
  /** Identity types, busiest first: the order of the series below. */
  identityTypes: string[];
  /** Start (epoch ms) of each UTC hour from the first record's to the last's, empty ones included. */
  hours: number[];
  /** Calls per hour: `[identity type index][hour index]`, people and automation apart. */
  byHour: { person: number[][]; automation: number[][] };
  errorsByHour: { denied: number[]; throttled: number[]; other: number[] };
  operations: Row[];
  regions: Row[];
  accounts: Row[];
  identities: Row[];
  errorCodes: (Row & { kind: string })[];
  clients: Row[];
  /** The busiest principals, busiest first (at most `TOP_CALLERS`). */
  callers: Caller[];
  /** The principals with the most failed calls (at most `TOP_CALLERS`). */
  failingCallers: Caller[];
  digestFiles: number;
  /** Hour starts (epoch ms) from the first digest's start to the last one's end. */
  digestHours: number[];
  chains: DigestChain[];
  markers: Marker[];
  /** The run's facts from trailsim's manifest, or its shards' merged; null for a tree without one. */
  manifest: Record<string, unknown> | null;
  /** The manifests the facts come from: `trailsim-manifest.json`, or the shards' in shard order. */
  manifests: string[];
  /** What keeps the shard manifests from being the whole run (a shard missing), one line each. */
  manifestProblems: string[];
}

export const TOP_CALLERS = 15;
export const HOUR = 3_600_000;
