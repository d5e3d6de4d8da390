import type { Argv } from 'yargs';
import { UsageError } from '../shared/errors.js';
import { EVENTBRIDGE_RULE_STATES, type EventBridgeRuleState } from '../layout/eventbridge.js';
import { decimalFlag } from './number-flag.js';
import type { LineFormat } from '../pipeline/records.js';
import type { ScenarioInput } from '../scenario/scenario.js';
import { DirSink } from '../sinks/dir.js';
import { DirectDirSink } from '../sinks/direct-dir.js';
import type { RunInfo } from '../sinks/manifest.js';
import { NotifyingSink } from '../sinks/notifications.js';
import { isS3Url, parseS3Url, type S3Location } from '../sinks/s3-url.js';
import type { Sink } from '../sinks/sink.js';
import type { Shard } from '../plan/shard.js';

/** Flags that say where and how output is delivered (generate, upload, stream). */
export interface DeliveryFlags {
  out: string;
  force: boolean;
  format: LineFormat;
  'endpoint-url'?: string;
  notifications?: string;
  'upload-concurrency': number;
  'eventbridge-rule'?: EventBridgeRuleState;
}

export const FORMATS: readonly LineFormat[] = ['cloudtrail', 'eventbridge'];

/** Adds the delivery flags other than --out (each command words --out its own way). */
export function deliveryOptions<T>(y: Argv<T>) {
  return s3Options(y)
    .option('format', {
      choices: FORMATS,
      default: 'cloudtrail' as LineFormat,
      describe:
        'With --out -: JSON lines of CloudTrail records, or EventBridge events wrapping them. Files are always CloudTrail log files',
    })
    .option('eventbridge-rule', {
      choices: EVENTBRIDGE_RULE_STATES,
      describe:
        'With --format eventbridge: the state of the rule receiving the events; ENABLED gets no read-only calls, as on AWS ' +
        '(default: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS)',
    });
}

/** Whether read-only calls are delivered: only to a rule that opted in (the default here). */
export function readOnlyEvents(flags: Pick<DeliveryFlags, 'eventbridge-rule'>): boolean {
  return flags['eventbridge-rule'] !== 'ENABLED';
}

/** The flags of S3 delivery and notifications (upload has only these). */
export function s3Options<T>(y: Argv<T>) {
  return y
    .option('endpoint-url', {
      type: 'string',
      describe: 'S3 endpoint (MinIO, LocalStack, moto), path-style (default: $AWS_ENDPOINT_URL_S3)',
    })
    .option('notifications', {
      type: 'string',
      describe: 'Also write one SNS-style delivery notification per log file to this file (JSON lines)',
    })
    .option('upload-concurrency', {
      type: 'string',
      requiresArg: true,
      coerce: decimalFlag('--upload-concurrency'),
      default: 8,
      describe: 'S3 uploads in flight at once',
    });
}

/** Where output goes: standard output, an S3 prefix, or a folder. */
export type OutputTarget =
  { kind: 'stdout' } | { kind: 's3'; location: S3Location } | { kind: 'dir'; path: string };

/** Reads --out and checks the flags that depend on it. */
export function outputTarget(flags: DeliveryFlags): OutputTarget {
  if (!Number.isInteger(flags['upload-concurrency']) || flags['upload-concurrency'] < 1)
    throw new UsageError('--upload-concurrency', 'expected a whole number of 1 or more');
  if (flags['eventbridge-rule'] !== undefined && flags.format !== 'eventbridge')
    throw new UsageError('--eventbridge-rule', 'applies to --format eventbridge only');
  if (flags.out === '-') {
    if (flags.notifications)
      throw new UsageError('--notifications', 'needs log files: use it with a folder or s3:// --out');
    return { kind: 'stdout' };
  }
  if (flags.format !== 'cloudtrail')
    throw new UsageError(
      '--format',
      `${flags.format} is for --out - (files are always CloudTrail log files)`,
    );
  if (isS3Url(flags.out)) return { kind: 's3', location: parseS3Url(flags.out, '--out') };
  return { kind: 'dir', path: flags.out };
}

/**
 * An S3 output decides the trail's bucket and key prefix, so that digests name where their files
 * are; a --bucket or --key-prefix that says otherwise is a contradiction.
 */
export function withOutputLocation(input: ScenarioInput, target: OutputTarget): ScenarioInput {
  if (target.kind !== 's3') return input;
  const { bucket, prefix } = target.location;
  const trail = input.trail ?? {};
  if (trail.bucket !== undefined && trail.bucket !== bucket)
    throw new UsageError('--bucket', `"${trail.bucket}" contradicts --out s3://${bucket}/…`);
  const givenPrefix = trail.prefix?.replace(/\/+$/, '');
  if (givenPrefix !== undefined && givenPrefix !== prefix)
    throw new UsageError('--key-prefix', `"${trail.prefix}" contradicts the prefix of --out ("${prefix}")`);
  return { ...input, trail: { ...trail, bucket, prefix } };
}

/** A sink that also takes the run's facts for its manifest, and says where it writes. */
export interface OpenSink extends Sink {
  setRunInfo(info: RunInfo): void;
  readonly where: string;
}

/**
 * Opens the sink for a folder or S3 target, with notifications if asked. An S3 target is checked
 * (bucket, credentials, an empty prefix) before anything is generated. `live`: a stream, which
 * delivers each file as it goes instead of staging the run.
 */
export async function openSink(
  flags: DeliveryFlags,
  target: OutputTarget,
  opts: { live: boolean; trailBucket: string; shard?: Shard },
): Promise<OpenSink> {
  let sink: Sink & { setRunInfo(info: RunInfo): void };
  let where: string;
  let bucket = opts.trailBucket;
  if (target.kind === 's3') {
    // The AWS SDK is the heaviest module trailsim uses: loaded only for an s3:// output.
    const [{ S3Sink }, { createS3Client }] = await Promise.all([
      import('../sinks/s3.js'),
      import('../sinks/s3-client.js'),
    ]);
    const s3 = new S3Sink({
      client: createS3Client({ endpoint: flags['endpoint-url'] }),
      location: target.location,
      concurrency: flags['upload-concurrency'],
      force: flags.force,
      deleteOnAbort: !opts.live,
      shard: opts.shard,
    });
    await s3.open().catch(async (err: unknown) => {
      await s3.abort();
      throw err;
    });
    sink = s3;
    where = s3.url;
    bucket = target.location.bucket;
  } else if (target.kind === 'dir') {
    const dir = opts.live
      ? new DirectDirSink(target.path, { force: flags.force, shard: opts.shard })
      : new DirSink(target.path, { force: flags.force, shard: opts.shard });
    sink = dir;
    where = dir.root;
  } else {
    throw new Error('openSink: standard output is not a sink (a bug)');
  }
  if (!flags.notifications) return Object.assign(sink, { where });
  let notifying: NotifyingSink;
  try {
    notifying = new NotifyingSink(sink, flags.notifications, bucket, { force: flags.force, live: opts.live });
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return Object.assign(notifying, { where, setRunInfo: (info: RunInfo) => sink.setRunInfo(info) });
}
