import { resolveScenario, type ScenarioInput } from './scenario/scenario.js';
import { generateLogFiles as generateFromPrepared, prepare } from './pipeline/generate.js';
import type { LogFile } from './layout/log-file.js';
import type { CloudTrailRecord } from './generated/cloudtrail-record.js';
import { UsageError } from './shared/errors.js';
import { parseTime } from './scenario/scenario.js';

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
  return generateFromPrepared(prepare(resolveScenario(input, (f) => f)));
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
  const p = prepare(scenario);
  const template = p.templates.find((t) => t.eventName === operation);
  if (!template) throw new UsageError('operation', `unknown operation "${operation}"`);
  if (options.errorCode && !template.errors.some((e) => e.code === options.errorCode)) {
    throw new UsageError('errorCode', `${operation} does not return ${options.errorCode}`);
  }
  const time = parseTime(options.time ?? '2026-11-02T14:03:27Z', 'time');
  return p.renderer.renderOne(
    operation,
    time,
    options.errorCode ? { fail: options.errorCode } : {},
  ) as CloudTrailRecord;
}
