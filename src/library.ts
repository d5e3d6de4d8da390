import { resolveScenario, parseTime, type ScenarioInput } from './scenario/scenario.js';
import { generateLogFiles as generateFromPrepared, prepare, type Prepared } from './pipeline/generate.js';
import { recordLines } from './pipeline/records.js';
import type { LogFile } from './layout/log-file.js';
import type { CloudTrailRecord } from './generated/cloudtrail-record.js';
import { UsageError } from './errors.js';
import { checkOptionKeys, scenarioOptionKeys } from './option-keys.js';

/**
 * What a run is made of, as a scenario file says it (schemas/scenario.schema.json, without
 * `output`): every key optional, the same defaults as the command line.
 */
export type GenerateOptions = ScenarioInput;

/** Checks the options and draws the run's world: bad input fails here, before the first record. */
function prepareRun(options: GenerateOptions): Prepared {
  checkOptionKeys(options, scenarioOptionKeys());
  return prepare(resolveScenario(options, (f) => f));
}

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
 * @throws UsageError for an unknown key or a bad value, naming it
 */
export function generateLogFiles(options: GenerateOptions = {}): Generator<LogFile> {
  return generateFromPrepared(prepareRun(options));
}

/** How many records `records` hands over between turns of the event loop. */
const RECORDS_PER_TURN = 1000;

/**
 * The records of a run, parsed, in event-time order across accounts and Regions: the same records
 * as `generateLogFiles` puts in its files, without gzip. Memory stays small whatever the run's size.
 * It is asynchronous so that a long run lets timers and I/O in between records.
 *
 * @example
 * for await (const record of records({ seed: 7, events: 200 })) console.log(record.eventName);
 * @throws UsageError (at the call, not at the first record) for an unknown key or a bad value
 */
export function records(options: GenerateOptions = {}): AsyncGenerator<CloudTrailRecord> {
  const p = prepareRun(options);
  return (async function* () {
    let n = 0;
    for (const line of recordLines(p, 'cloudtrail')) {
      yield JSON.parse(line) as CloudTrailRecord;
      if (++n % RECORDS_PER_TURN === 0) await new Promise<void>((r) => setImmediate(r));
    }
  })();
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

const RENDER_RECORD_KEYS = {
  seed: true,
  time: true,
  errorCode: true,
  eventVersion: true,
  templates: true,
} as const;

/**
 * One record of the named operation, as CloudTrail would log it, made by the world's cast.
 *
 * @example
 * const record = renderRecord('DescribeInsight', { seed: 3 });
 * record.eventSource; // 'devops-guru.amazonaws.com'
 */
export function renderRecord(operation: string, options: RenderRecordOptions = {}): CloudTrailRecord {
  checkOptionKeys(options, RENDER_RECORD_KEYS);
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
