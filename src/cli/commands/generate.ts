import type { Argv, CommandModule } from 'yargs';
import { resolveScenario, type ScenarioInput } from '../../scenario/scenario.js';
import { runGenerate } from '../../pipeline/run.js';
import { runInfo } from '../run-info.js';
import {
  deliveryOptions,
  openSink,
  outputTarget,
  withOutputLocation,
  type DeliveryFlags,
} from '../output.js';
import { writeRecordLines } from '../write-lines.js';
import { createDigestStage } from '../../digest/digest-stage.js';
import { deriveSigningKey, loadSigningKey } from '../../digest/signing-key.js';
import { describeTrail } from '../../digest/trail.js';

export interface GenerateFlags extends Partial<Omit<DeliveryFlags, 'out' | 'force'>> {
  seed?: number;
  start?: string;
  end?: string;
  events?: number;
  accounts?: number;
  regions?: string;
  out: string;
  force: boolean;
  'event-version'?: string;
  'identity-mix'?: string;
  'error-rate'?: number;
  organization?: boolean;
  'key-prefix'?: string;
  'trail-name'?: string;
  bucket?: string;
  'home-region'?: string;
  digests: boolean;
  'signing-key'?: string;
  templates?: string[];
}

/** Options shared by commands that generate (generate, and later stream). */
export function scenarioOptions<T>(y: Argv<T>) {
  return y
    .option('seed', {
      type: 'number',
      describe: 'Seed of the run: same seed, same bytes',
      default: undefined,
    })
    .option('start', {
      type: 'string',
      describe: 'Start of the simulated period (ISO 8601, UTC), default 2026-11-01T00:00:00Z',
    })
    .option('end', { type: 'string', describe: 'End of the period (exclusive), default start + 1 day' })
    .option('events', { type: 'number', describe: 'Exact number of records (default 5000)' })
    .option('accounts', { type: 'number', describe: 'Number of AWS accounts (default 3, an organization)' })
    .option('regions', {
      type: 'string',
      describe: 'Comma-separated Regions, or "all" (default: all 16 DevOps Guru Regions)',
    })
    .option('event-version', {
      type: 'string',
      describe: 'CloudTrail eventVersion of the records (default 1.08)',
    })
    .option('identity-mix', {
      type: 'string',
      describe:
        'Share of calls per identity type, e.g. AssumedRole=66,IAMUser=24,FederatedUser=4,Root=1,AWSService=5',
    })
    .option('error-rate', { type: 'number', describe: 'Share of calls that fail, 0..1 (default 0.04)' })
    .option('organization', {
      type: 'boolean',
      describe: 'Organization trail: keys under AWSLogs/<o-id>/<account>/',
    })
    .option('key-prefix', { type: 'string', describe: "The trail's S3 key prefix" })
    .option('trail-name', { type: 'string', describe: 'Trail name (default management-events)' })
    .option('bucket', { type: 'string', describe: "The trail's bucket name, as digests record it" })
    .option('home-region', {
      type: 'string',
      describe:
        'Region where the trail was created, as digest names carry it (default us-east-1 if in --regions)',
    })
    .option('digests', {
      type: 'boolean',
      default: true,
      describe: 'Write signed digest files (--no-digests to skip)',
    })
    .option('signing-key', {
      type: 'string',
      describe: 'RSA private key (PEM) that signs digests; default: a key derived from --seed',
    })
    .option('templates', {
      type: 'string',
      array: true,
      describe: 'Extra template folders (add or override operations)',
    });
}

/** Maps flags onto the scenario input (flags a user did not give stay undefined). */
export function scenarioInputFromFlags(f: Partial<GenerateFlags>): ScenarioInput {
  const input: ScenarioInput = {
    seed: f.seed,
    start: f.start,
    end: f.end,
    events: f.events,
    accounts: f.accounts,
    regions: f.regions,
    eventVersion: f['event-version'],
    identityMix: f['identity-mix'],
    errorRate: f['error-rate'],
    organizationTrail: f.organization,
    digests: f.digests,
    templates: f.templates,
    trail: { name: f['trail-name'], prefix: f['key-prefix'], bucket: f.bucket, homeRegion: f['home-region'] },
  };
  return JSON.parse(JSON.stringify(input)) as ScenarioInput;
}

export const generateCommand: CommandModule<object, GenerateFlags> = {
  command: 'generate',
  describe: 'Write CloudTrail log files (and digests) for DevOps Guru calls',
  builder: (y) =>
    deliveryOptions(scenarioOptions(y))
      .option('out', {
        type: 'string',
        default: 'out',
        describe: 'Output folder, s3://bucket/prefix, or - for JSON lines on standard output',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Replace an earlier trailsim run in --out',
      }) as unknown as Argv<GenerateFlags>,
  handler: async (flags) => {
    const delivery = flags as GenerateFlags & DeliveryFlags;
    const target = outputTarget(delivery);
    const scenario = resolveScenario(withOutputLocation(scenarioInputFromFlags(flags), target));
    if (target.kind === 'stdout') return writeRecordLines(scenario, delivery.format);
    const signingKey = !scenario.digests
      ? undefined
      : flags['signing-key'] !== undefined
        ? loadSigningKey(flags['signing-key'])
        : deriveSigningKey(scenario.seed);
    const sink = await openSink(delivery, target, { live: false, trailBucket: scenario.trail.bucket });
    sink.setRunInfo(runInfo(scenario));
    const s = await runGenerate(scenario, sink, {
      stages: (p) => {
        sink.setRunInfo({ ...runInfo(scenario), trail: describeTrail(p) });
        return signingKey ? [createDigestStage(p, signingKey)] : [];
      },
    });
    process.stdout.write(
      `wrote ${s.files} log files, ${s.records} records, ${s.bytes} bytes (${s.rawBytes} uncompressed), ` +
        `${s.otherObjects} other files to ${sink.where} (seed ${s.seed})\n`,
    );
  },
};
