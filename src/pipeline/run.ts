import { performance } from 'node:perf_hooks';
import { folderSinkOf, type Sink, type SinkObject } from '../sinks/sink.js';
import type { LogFile, WrittenLogFile } from '../layout/log-file.js';
import type { FileStage } from '../digest/file-stage.js';
import { windowsOf, type Prepared } from './generate.js';
import { EdgeCaseInjector } from '../edge-cases/injector.js';
import type { EdgeCaseReport } from '../edge-cases/label.js';
import { renderLogFiles, workerCount } from './parallel.js';
import { renderIncidents } from '../incidents/render.js';
import { withIncidentFiles } from '../incidents/merge.js';
import {
  incidentReport,
  labelsText,
  LABELS_NAME,
  type IncidentLabel,
  type IncidentReport,
} from '../incidents/label.js';

export type { FileStage };

export interface RunSummary {
  seed: number;
  files: number;
  records: number;
  /** Gzipped bytes of log files. */
  bytes: number;
  /** Uncompressed bytes of log files. */
  rawBytes: number;
  /** Other objects written (digests and side files). */
  otherObjects: number;
  /** The edge cases injected, when the scenario asks for some (docs/edge-cases.md). */
  edgeCases?: EdgeCaseReport;
  /** The incidents woven in, when the scenario asks for some (docs/incidents.md). */
  incidents?: IncidentReport;
  /** Their labels, as trailsim-labels.jsonl holds them. */
  incidentLabels?: IncidentLabel[];
}

export interface RunHooks {
  /** Called with each object a stage adds (a digest, say), as it is stored. */
  onObject?: (o: SinkObject) => void;
  onProgress?: (s: RunSummary) => void;
  /** Called with the final counts before the sink closes (e.g. to put them in the manifest). */
  onFinish?: (s: RunSummary) => void;
}

/**
 * The longest a run goes without a turn of the event loop. Sinks and stages may work synchronously
 * and the main thread may render, and a signal (Ctrl-C) is handled only at such a turn.
 */
const TURN_EVERY_MS = 50;

const LOG_FILE_TYPE = 'application/x-gzip';

/**
 * Delivers a prepared run into a sink, its stages adding their objects (digests) as the files go
 * by; aborts the sink (leaving nothing) if anything fails. The bytes are the same whatever
 * `workers` is; `includes` picks a shard's files, and `labels` whether it writes the incident
 * labels (one shard does). Called by `buildRun`'s `generate`.
 */
export async function deliverRun(
  prepared: Prepared,
  sink: Sink,
  stages: readonly FileStage[],
  hooks: RunHooks,
  workers: number | undefined,
  /** The accounts and Regions whose files this run writes (a shard's); default all. */
  includes?: (accountId: string, region: string) => boolean,
  /** Whether this run writes the incident labels, which cover every shard's records. */
  labels = true,
): Promise<RunSummary> {
  const scenario = prepared.scenario;
  const summary: RunSummary = {
    seed: scenario.seed,
    files: 0,
    records: 0,
    bytes: 0,
    rawBytes: 0,
    otherObjects: 0,
  };
  try {
    // Edge cases reshape the files before the digest stage and break objects on their way to the sink.
    const edge = scenario.edgeCases
      ? new EdgeCaseInjector({ ...prepared, windows: () => windowsOf(prepared) }, scenario.edgeCases)
      : undefined;
    const putOther = async (o: SinkObject): Promise<void> => {
      for (const stored of edge ? edge.storeOther(o) : [o]) {
        await sink.put(stored);
        summary.otherObjects++;
        hooks.onObject?.(stored);
      }
    };
    let turn = performance.now();
    const threads = workerCount(workers, scenario.events);
    // Workers write their files into a local folder themselves, unless edge cases are to reshape
    // or break them on the way.
    const folder = threads > 0 && !edge ? folderSinkOf(sink) : undefined;
    const delivered: AsyncIterable<LogFile | WrittenLogFile> = edge
      ? edge.files(renderLogFiles(prepared, threads, includes))
      : renderLogFiles(prepared, threads, includes, folder?.stagingFolder);
    // Incidents' files join the stream after the edge cases, which never touch them.
    const incidents = prepared.incidents ? renderIncidents(prepared, prepared.incidents) : undefined;
    // Every shard plans and renders every incident, and delivers the files of its own chains.
    const source = incidents
      ? withIncidentFiles(
          delivered,
          incidents.flatMap((i) => i.files).filter((f) => includes?.(f.accountId, f.region) ?? true),
        )
      : delivered;
    for await (const file of source) {
      if (performance.now() - turn > TURN_EVERY_MS) {
        await new Promise<void>((r) => setImmediate(r));
        turn = performance.now();
      }
      for (const st of stages) for (const o of await st.onFile(file)) await putOther(o);
      if ('written' in file) {
        folder!.adopt({ key: file.key, ...file.written, contentType: LOG_FILE_TYPE });
        summary.bytes += file.written.bytes;
      } else {
        const object = { key: file.key, body: file.body, contentType: LOG_FILE_TYPE };
        for (const stored of edge ? edge.storeLogFile(object, file) : [object]) await sink.put(stored);
        summary.bytes += file.body.length;
      }
      summary.files++;
      summary.records += file.recordCount;
      summary.rawBytes += file.rawBytes;
      hooks.onProgress?.(summary);
    }
    for (const st of stages) for await (const o of await st.finish()) await putOther(o);
    if (incidents) {
      const all = incidents.map((i) => i.label);
      if (labels)
        await putOther({
          key: LABELS_NAME,
          body: Buffer.from(labelsText(all), 'utf8'),
          contentType: 'application/x-ndjson',
        });
      summary.incidents = incidentReport(all);
      summary.incidentLabels = all;
    }
    if (edge) summary.edgeCases = edge.report();
    hooks.onFinish?.(summary);
    await sink.close();
    return summary;
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
