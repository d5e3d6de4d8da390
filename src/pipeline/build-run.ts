import { createDigestStage } from '../digest/digest-stage.js';
import type { FileStage } from '../digest/file-stage.js';
import { deriveSigningKeyAsync, type SigningKey } from '../digest/signing-key.js';
import { describeTrail, type TrailInfo } from '../digest/trail.js';
import type { LogFile } from '../layout/log-file.js';
import { parseTime, type Scenario } from '../scenario/scenario.js';
import { UsageError } from '../shared/errors.js';
import type { Sink } from '../sinks/sink.js';
import { chainFilter, generateLogFiles, prepare, recordsOf, type Prepared } from './generate.js';
import type { Shard } from '../plan/shard.js';
import { stopRenderWorkers } from './parallel.js';
import { recordLines, type LineFormat, type RecordLineOptions } from './records.js';
import { deliverRun, type RunHooks, type RunSummary } from './run.js';
import { streamEvents, type StreamOptions, type StreamOutput, type StreamReport } from './stream.js';

/** How a run is built; none of it changes the records. */
export interface RunOptions {
  /** Where `generate` delivers the log files and digests. */
  sink?: Sink;
  /**
   * Signs the digests when the scenario writes them. Default: the key derived from the seed,
   * searched on the thread pool from the moment the run is built.
   */
  signingKey?: SigningKey | Promise<SigningKey>;
  /**
   * Worker threads that render and gzip windows; 0 renders on the main thread. Default: one per
   * available core, none for small runs (see `workerCount`).
   */
  workers?: number;
  /** Write only this shard's share of the run's files (its accounts' and Regions'); default all. */
  shard?: Shard;
  /** How a field is named in an error message: `--time` on the command line, `time` in the library. */
  where?: (field: 'operation' | 'time' | 'error') => string;
}

/** What `sample` renders: one call, at a time, failing or not. */
export interface SampleOptions {
  /** Event time, ISO 8601 with a zone (default 2026-11-02T14:03:27Z). */
  time?: string;
  /** Make the call fail with this error code (one the operation can return). */
  errorCode?: string;
}

/** A run built from a scenario: prepared once, then delivered in one of several ways. */
export interface Run {
  readonly scenario: Scenario;
  readonly prepared: Prepared;
  /** The trail the run simulates, as the manifest records it. */
  readonly trail: TrailInfo;
  /** How many records `generate` writes: the events and incident calls, or the shard's share. */
  records(): number;
  /** Delivers every log file (and digest) into the sink of the options; aborts it on failure. */
  generate(hooks?: RunHooks): Promise<RunSummary>;
  /**
   * Stops a `generate` in flight from outside it (a signal): its render workers first, which may
   * be writing into the sink's folder, then the sink, which removes what the run staged.
   */
  abort(): Promise<void>;
  /** The log files one at a time, in delivery order, on this thread; nothing is written. */
  logFiles(): Generator<LogFile>;
  /** The records as JSON lines in event-time order (`--out -`). */
  lines(format: LineFormat, options?: RecordLineOptions): Generator<string>;
  /** Streams records stamped with the clock's time at a steady rate. */
  stream(out: StreamOutput, options: StreamOptions): Promise<StreamReport>;
  /** One record of the named operation, made by the world's cast. */
  sample(operation: string, options?: SampleOptions): Record<string, unknown>;
}

const SAMPLE_TIME = '2026-11-02T14:03:27Z';

/**
 * Builds a run: draws the world, loads the templates and, when the scenario writes digests, starts
 * looking for the signing key. Every way of running trailsim (the commands, the library, the bench)
 * goes through here. Fails before anything is written when the scenario or a template is bad.
 *
 * @example
 * const run = buildRun(resolveScenario({ seed: 7, events: 1000 }), { sink: new DirSink('out', { force: true }) });
 * const summary = await run.generate();
 */
export function buildRun(scenario: Scenario, options: RunOptions = {}): Run {
  // A run that delivers searches the key from here on, while the world is drawn and the first
  // files rendered; the digest stage waits for it when it first signs. A failed search is
  // reported there, or not at all when the run fails first.
  const signingKey =
    scenario.digests && options.sink
      ? (options.signingKey ?? deriveSigningKeyAsync(scenario.seed))
      : undefined;
  if (signingKey instanceof Promise) signingKey.catch(() => undefined);
  const prepared = prepare(scenario);
  const trail = describeTrail(prepared);
  const where = options.where ?? ((f: string) => f);
  return {
    scenario,
    prepared,
    trail,
    records: () => recordsOf(prepared, options.shard),
    generate(hooks = {}) {
      const sink = options.sink;
      if (!sink) throw new Error('buildRun: generate() needs a sink in the options (a bug)');
      const includes = chainFilter(prepared, options.shard);
      const stages: FileStage[] = signingKey ? [createDigestStage(prepared, signingKey, { includes })] : [];
      // The incident labels span chains: the first shard writes them, whole (docs/incidents.md).
      const labels = (options.shard?.index ?? 0) === 0;
      return deliverRun(prepared, sink, stages, hooks, options.workers, includes, labels);
    },
    async abort() {
      await stopRenderWorkers(prepared);
      await options.sink?.abort();
    },
    logFiles: () => generateLogFiles(prepared),
    lines: (format, o) => recordLines(prepared, format, o),
    stream: (out, o) => streamEvents(prepared, out, o),
    sample(operation, o = {}) {
      const t = prepared.templates.find((x) => x.eventName === operation);
      if (!t)
        throw new UsageError(
          where('operation'),
          `unknown operation "${operation}" (see trailsim operations)`,
        );
      if (o.errorCode && !t.errors.some((e) => e.code === o.errorCode))
        throw new UsageError(
          where('error'),
          `${operation} does not return ${o.errorCode} (it can return ${t.errors.map((e) => e.code).join(', ')})`,
        );
      const time = parseTime(o.time ?? SAMPLE_TIME, where('time'));
      return prepared.renderer.renderOne(operation, time, o.errorCode ? { fail: o.errorCode } : {});
    },
  };
}
