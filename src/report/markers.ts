import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../shared/errors.js';
import { parseTreeKey } from '../validate/tree-key.js';
import type { Marker } from './report-data.js';

/** The incident labels a run writes next to its manifest, one JSON object a line. */
export const LABELS_NAME = 'trailsim-labels.jsonl';

const time = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : NaN);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * Labelled incidents (`trailsim-labels.jsonl`: `id`, `playbook`, `start`, `end`, `eventIDs`, read
 * a line at a time) and injected edge cases (the manifest's `edgeCases.labels`: `kind`, `key`,
 * `eventIDs`, `action`, `what`), as markers on the time axis. An edge case is placed at its file's delivery time.
 * Trees without either have none.
 *
 * @example await readMarkers('out', readRunFacts('out')?.facts ?? null) // [{ kind: 'incident', name: 'leaked-key', … }]
 * @throws UsageError naming the line of the labels file that is not JSON
 */
export async function readMarkers(root: string, facts: Record<string, unknown> | null): Promise<Marker[]> {
  const out: Marker[] = [];
  const labels = join(root, LABELS_NAME);
  if (existsSync(labels)) {
    const lines = createInterface({ input: createReadStream(labels), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let l: Record<string, unknown>;
      try {
        l = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        throw new UsageError(`${labels}:${n}`, `is not JSON (${(err as Error).message})`);
      }
      const start = time(l.start);
      if (Number.isNaN(start)) continue;
      const end = time(l.end);
      const ids = Array.isArray(l.eventIDs) ? l.eventIDs.length : 0;
      const techniques = Array.isArray(l.techniques) ? l.techniques.join(', ') : '';
      out.push({
        kind: 'incident',
        name: text(l.playbook) ?? text(l.id) ?? `incident ${n}`,
        start,
        end: Number.isNaN(end) ? start : end,
        records: ids,
        detail: [text(l.id), techniques].filter(Boolean).join(' · '),
      });
    }
  }
  const cases = (facts?.edgeCases as { labels?: unknown } | undefined)?.labels;
  if (Array.isArray(cases)) {
    for (const c of cases as Record<string, unknown>[]) {
      const key = text(c?.key);
      const parsed = key ? parseTreeKey(key) : undefined;
      const at =
        parsed && typeof parsed !== 'string' ? (parsed.kind === 'log' ? parsed.minute : parsed.end) : NaN;
      if (Number.isNaN(at)) continue;
      out.push({
        kind: 'edge case',
        name: text(c.kind) ?? 'edge case',
        start: at,
        end: at,
        records: Array.isArray(c.eventIDs) ? c.eventIDs.length : 0,
        detail: [key, text(c.action), text(c.what)].filter(Boolean).join(' · '),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start || (a.name < b.name ? -1 : 1));
}
