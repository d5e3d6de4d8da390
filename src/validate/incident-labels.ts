import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS_NAME, type IncidentLabel } from '../incidents/label.js';
import type { Finding } from './findings.js';

/**
 * Checks a run's incident labels (docs/incidents.md) against the tree: every line is a label, and
 * every eventID it lists is a record of the tree. The file's hash is checked with the manifest's
 * other files. `eventIds` holds the eventIDs of the tree's records.
 */
export function checkIncidentLabels(
  root: string,
  scopes: readonly string[],
  eventIds: ReadonlyMap<string, string>,
  add: (severity: Finding['severity'], file: string, message: string) => void,
): { incidents: number; records: number } | undefined {
  let counts: { incidents: number; records: number } | undefined;
  for (const scope of scopes) {
    const file = `${scope}${LABELS_NAME}`;
    if (!existsSync(join(root, file))) continue;
    const lines = readFileSync(join(root, file), 'utf8').split('\n').filter(Boolean);
    counts ??= { incidents: 0, records: 0 };
    const c = counts;
    lines.forEach((text, i) => {
      let label: IncidentLabel;
      try {
        label = JSON.parse(text) as IncidentLabel;
      } catch {
        add('problem', file, `line ${i + 1} is not JSON`);
        return;
      }
      if (!Array.isArray(label.eventIDs)) {
        add('problem', file, `line ${i + 1} has no eventIDs`);
        return;
      }
      const missing = label.eventIDs.filter((id) => !eventIds.has(id));
      if (missing.length > 0)
        add(
          'problem',
          file,
          `incident ${label.id} (${label.playbook}): ${missing.length} of its ${label.eventIDs.length} eventIDs are in no log file (first: ${missing[0]})`,
        );
      c.incidents++;
      c.records += label.eventIDs.length;
    });
  }
  return counts;
}
