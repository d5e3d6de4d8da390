import { renameSync, writeFileSync } from 'node:fs';
import { labelsText } from '../incidents/label.js';
import { renderIncidents } from '../incidents/render.js';
import type { Run } from '../pipeline/build-run.js';
import { UsageError } from '../shared/errors.js';

/**
 * `--labels <file>` with `--out -`: the incident labels, written whole (a temporary file renamed)
 * before the first record goes out, so a reader of the records can already open them.
 */
export function writeLabelsFile(run: Run, file: string): void {
  const plan = run.prepared.incidents;
  const text = plan ? labelsText(renderIncidents(run.prepared, plan).map((i) => i.label)) : '';
  const tmp = `${file}.tmp-trailsim`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    throw new UsageError('--labels', `cannot write ${file}: ${(err as Error).message}`);
  }
}
