import { collectStats } from '../stats/collect.js';
import { RecordCounter } from './count-records.js';
import { digestCoverage } from './digest-coverage.js';
import { readMarkers } from './markers.js';
import type { ReportData } from './report-data.js';
import { readRunFacts } from './run-facts.js';

/**
 * Everything the report page shows about a tree, read in one pass over its log files (through
 * `trailsim stats`' own reader and counters, so the page's totals are those of `trailsim stats`),
 * one pass over its digests, and the heads of its manifest (or its shards' manifests) and labels.
 *
 * @example (await collectReport('out')).records // 5000
 * @throws UsageError for a missing folder, a tree without log files, or a file that is not one
 */
export async function collectReport(root: string): Promise<ReportData> {
  const counter = new RecordCounter();
  const stats = collectStats(root, (body) => counter.add(body.Records));
  const run = readRunFacts(root);
  return {
    tree: root,
    ...counter.finish(stats),
    ...digestCoverage(root),
    markers: await readMarkers(root, run?.facts ?? null),
    manifest: run?.facts ?? null,
    manifests: run?.manifests ?? [],
    manifestProblems: run?.problems ?? [],
  };
}
