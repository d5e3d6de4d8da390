/**
 * A render worker: prepares the run once from the scenario it is started with, then renders and
 * encodes the batches of windows the main thread sends, and sends back their log files; or, for a
 * stream, renders the calls of the accounts and Regions it owns and delivers their files. Started by
 * `parallel.ts`; never imported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepare, renderWindowFiles } from './generate.js';
import type { Scenario } from '../scenario/scenario.js';
import {
  fileMessage,
  windowFromMessage,
  type BatchRequest,
  type BatchResult,
  type RenderWorkerData,
} from './parallel.js';
import { answerStreamRequest, type StreamRequest, type StreamWorkerSetup } from './stream-pool.js';
import { StreamBuffers, streamPairsOf } from './stream-pairs.js';
import { Rng } from '../shared/rng.js';
import { StagedFiles } from '../sinks/staged-files.js';
import type { LogFile } from '../layout/log-file.js';

const port = parentPort;
if (!port) throw new Error('trailsim: render-worker.js runs only as a worker thread');
// Batches go back in transferred buffers, and transferring detaches a buffer. The first detach in
// an isolate makes V8 throw away the optimised code of every function that reads a typed array
// (the Rng, the byte writer, the time formatter) and compile it all again with detach checks. One
// detach now, before anything is optimised, and everything is compiled once, with those checks.
// (Copying the batches instead costs the collector more than the recompilation did.)
const detached = new ArrayBuffer(1);
structuredClone(detached, { transfer: [detached] });
const data = workerData as { scenario: Scenario; stream?: StreamWorkerSetup } & Partial<RenderWorkerData>;
const prepared = prepare(data.scenario);

if (data.stream) {
  // A stream worker: it renders the calls of the accounts and Regions it owns (see stream-pool.ts).
  const setup = data.stream;
  const buffers = new StreamBuffers(
    prepared,
    streamPairsOf(prepared),
    new Rng(prepared.scenario.seed).fork(setup.label),
    setup.output,
    setup.maxHeld,
  );
  port.on('message', (req: StreamRequest) => {
    const { reply, transfer } = answerStreamRequest(buffers, req);
    port.postMessage(reply, transfer);
  });
} else {
  const staged = data.writeTo !== undefined ? new StagedFiles(data.writeTo) : undefined;
  const noBodies = new Uint8Array(0);
  port.on('message', (req: BatchRequest) => {
    const files: LogFile[] = [];
    for (const m of req.windows)
      files.push(...renderWindowFiles(prepared, windowFromMessage(m, prepared.lifecycles)));
    if (staged) {
      // The files go to the sink's folder from here; only their facts go back.
      const result: BatchResult = { seq: req.seq, bodies: noBodies, files: [] };
      for (const f of files) result.files.push(fileMessage(f, 0, staged.write(f.key, f.body).sha256));
      port.postMessage(result);
      return;
    }
    // One buffer per batch, transferred rather than copied; file bodies are views into it.
    let size = 0;
    for (const f of files) size += f.body.length;
    const bodies = new Uint8Array(size);
    let offset = 0;
    const result: BatchResult = { seq: req.seq, bodies, files: [] };
    for (const f of files) {
      bodies.set(f.body, offset);
      result.files.push(fileMessage(f, offset));
      offset += f.body.length;
    }
    port.postMessage(result, [bodies.buffer]);
  });
}
