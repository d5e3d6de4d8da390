import type { Run } from '../pipeline/build-run.js';
import type { LineFormat, RecordLineOptions } from '../pipeline/records.js';
import { LineWriter } from '../sinks/stdout.js';

/**
 * `--out -`: the run's records as JSON lines on standard output, in event-time order. Stops
 * quietly when the reader goes away (`| head`); the count goes to standard error.
 */
export async function writeRecordLines(
  run: Run,
  format: LineFormat,
  out: NodeJS.WritableStream = process.stdout,
  opts: RecordLineOptions = {},
): Promise<void> {
  const writer = new LineWriter(out);
  for (const line of run.lines(format, opts)) {
    if (!(await writer.write(line))) return;
  }
  await writer.end();
  if (writer.open)
    process.stderr.write(`wrote ${writer.count} records to standard output (seed ${run.scenario.seed})\n`);
}
