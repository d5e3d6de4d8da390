import { EDGE_CASE_KINDS, type ConsumerAction, type EdgeCaseKind } from '../scenario/edge-cases.js';

/**
 * One injected edge case, as the manifest lists it under `edgeCases.labels`: enough for a test of a
 * consumer to find the object and assert on what the consumer did with it.
 */
export interface EdgeCaseLabel {
  kind: EdgeCaseKind;
  /** The object the case lives at; for a missing object, the key it would have. */
  key: string;
  /** What a correct consumer does: accept, deduplicate, or reject the object and go on. */
  action: ConsumerAction;
  /** True for what CloudTrail itself does; false for a broken object. */
  realistic: boolean;
  /** One line: what is special, or what is wrong. */
  what: string;
  /** Records the object holds (or held, for a broken or missing one). */
  records: number;
  /** The eventIDs of the records the case is about (all of the object's, except for a burst file). */
  eventIDs: string[];
  /** Other objects whose checks the case affects (a missing digest's log files, a moved file's old key). */
  relatedKeys?: string[];
}

/** What a run says of its edge cases in the manifest. */
export interface EdgeCaseReport {
  profile?: string;
  /** Per kind: how many the profile asked for (a rate already turned into a count). */
  requested: Partial<Record<EdgeCaseKind, number>>;
  /** Per kind: how many were injected (fewer when the run has too few places that fit). */
  injected: Partial<Record<EdgeCaseKind, number>>;
  /** Records in the log files a correct consumer reads: every log file but the skipped ones. */
  readableRecords: number;
  /** Keys of stored objects a correct consumer skips (the broken ones); see docs/edge-cases.md. */
  skipKeys: string[];
  labels: EdgeCaseLabel[];
}

/**
 * Labels in the manifest's order: by kind as EDGE_CASE_KINDS lists them, then by key. The labels of
 * a run's shards, taken together and sorted, are the labels of the run.
 *
 * @example sortLabels([...shard0.labels, ...shard1.labels]) // as the unsharded manifest lists them
 */
export function sortLabels(labels: readonly EdgeCaseLabel[]): EdgeCaseLabel[] {
  const order = (k: EdgeCaseKind): number => EDGE_CASE_KINDS.findIndex((e) => e.kind === k);
  return [...labels].sort(
    (a, b) => order(a.kind) - order(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
