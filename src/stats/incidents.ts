import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS_NAME, type IncidentLabel } from '../incidents/label.js';
import { UsageError } from '../shared/errors.js';

/** An incident of a run's labels, and how many of its records the tree holds. */
export interface IncidentStats {
  id: string;
  playbook: string;
  accountId: string;
  start: string;
  end: string;
  /** Records the label lists. */
  labelled: number;
  /** Of those, records found in the tree's log files. */
  found: number;
}

/**
 * Counts the records of each labelled incident (trailsim-labels.jsonl at the tree's root) as the
 * log files go by; undefined for a tree without labels.
 *
 * @example const t = incidentCounter('out'); collectStats('out', (body) => t?.add(body)); t?.result()
 */
export function incidentCounter(
  root: string,
): { add: (body: { Records: unknown[] }) => void; result: () => IncidentStats[] } | undefined {
  const file = join(root, LABELS_NAME);
  if (!existsSync(file)) return undefined;
  let labels: IncidentLabel[];
  try {
    labels = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as IncidentLabel);
  } catch (err) {
    throw new UsageError(file, `is not JSON lines: ${(err as Error).message}`);
  }
  const owner = new Map<string, number>();
  labels.forEach((l, i) => {
    for (const id of l.eventIDs ?? []) owner.set(id, i);
  });
  const found = labels.map(() => 0);
  return {
    add(body) {
      for (const r of body.Records) {
        const i = owner.get(String((r as { eventID?: unknown }).eventID));
        if (i !== undefined) found[i]!++;
      }
    },
    result: () =>
      labels.map((l, i) => ({
        id: l.id,
        playbook: l.playbook,
        accountId: l.accountId,
        start: l.start,
        end: l.end,
        labelled: l.eventIDs.length,
        found: found[i]!,
      })),
  };
}

/** The incidents as `trailsim stats` prints them, one line each. */
export function formatIncidents(incidents: readonly IncidentStats[]): string[] {
  if (incidents.length === 0) return [];
  const width = Math.max(...incidents.map((x) => x.playbook.length));
  return [
    `Incidents (${incidents.length}, labels in ${LABELS_NAME})`,
    ...incidents.map(
      (x) =>
        `  ${x.id}  ${x.playbook.padEnd(width)}  ${x.accountId}  ${x.start} to ${x.end}  ${String(x.found).padStart(5)} records` +
        (x.found === x.labelled ? '' : ` (${x.labelled - x.found} of ${x.labelled} labelled are missing)`),
    ),
    '',
  ];
}
