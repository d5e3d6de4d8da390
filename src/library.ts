import { resolveScenario, type ScenarioInput } from './scenario/scenario.js';
import { buildRun } from './pipeline/build-run.js';
import type { LogFile } from './layout/log-file.js';
import type { CloudTrailRecord } from './generated/cloudtrail-record.js';

/**
 * The log files of a run, one at a time, in delivery order: what a trail would put in its bucket.
 * Nothing is written; use it to feed your own consumer in a test.
 *
 * @example
 * import { gunzipSync } from 'node:zlib';
 * for (const file of generateLogFiles({ seed: 7, events: 200, regions: ['us-east-1'] })) {
 *   const { Records } = JSON.parse(gunzipSync(file.body).toString());
 *   console.log(file.key, Records.length);
 * }
 */
export function generateLogFiles(input: ScenarioInput = {}): Generator<LogFile> {
  return buildRun(resolveScenario(input, (f) => f)).logFiles();
}

export interface RenderRecordOptions {
  seed?: number;
  /** Event time, ISO 8601 (default 2026-11-02T14:03:27Z). */
  time?: string;
  /** Make the call fail with this error code (one the operation can return). */
  errorCode?: string;
  eventVersion?: string;
  /** Extra template folders, for operations of other services. */
  templates?: string[];
}

/**
 * One record of the named operation, as CloudTrail would log it, made by the world's cast.
 *
 * @example
 * const record = renderRecord('DescribeInsight', { seed: 3 });
 * record.eventSource; // 'devops-guru.amazonaws.com'
 */
export function renderRecord(operation: string, options: RenderRecordOptions = {}): CloudTrailRecord {
  const scenario = resolveScenario(
    { seed: options.seed, events: 0, eventVersion: options.eventVersion, templates: options.templates },
    (f) => f,
  );
  const run = buildRun(scenario, { where: (f) => (f === 'error' ? 'errorCode' : f) });
  return run.sample(operation, { time: options.time, errorCode: options.errorCode }) as CloudTrailRecord;
}
