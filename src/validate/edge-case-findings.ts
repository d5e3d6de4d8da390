import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeCaseLabel } from '../edge-cases/label.js';

/** A finding as validate makes it: `info` is what a consumer should know but need not act on. */
export interface LabelledFinding {
  severity: 'problem' | 'warning' | 'info';
  file: string;
  message: string;
}

/** How validate treats the edge cases a run's manifest labels. */
export interface EdgeCaseFindings {
  /** A finding explained by a label becomes information, naming the label. */
  classify(f: LabelledFinding): LabelledFinding;
  /**
   * One line per label, after every check: information for a realistic case, a problem for a broken
   * one (so that a tree with broken objects never passes); each says whether validate's own checks
   * saw it.
   */
  finish(add: (f: LabelledFinding) => void): void;
}

/**
 * The labels of a manifest (`edgeCases.labels`), as validate uses them. A broken case explains the
 * findings on its own object, the findings that name it (the digest after a missing or badly signed
 * one, the digest that lists a missing file) and, for a missing digest, those on the log files it
 * listed. A duplicate explains only the repeated eventIDs. Nothing else is explained: every other
 * check of the tree still counts.
 *
 * @example
 * const labelled = edgeCaseFindings(root, manifest.edgeCases.labels);
 * labelled.classify({ severity: 'problem', file: key, message: 'not a gzip file' }).severity; // 'info'
 */
export function edgeCaseFindings(root: string, labels: readonly EdgeCaseLabel[]): EdgeCaseFindings {
  const seen = new Map<EdgeCaseLabel, number>();
  const byFile = new Map<string, EdgeCaseLabel[]>();
  const index = (file: string, l: EdgeCaseLabel): void => {
    byFile.set(file, [...(byFile.get(file) ?? []), l]);
  };
  const named: EdgeCaseLabel[] = [];
  const duplicates = new Map<string, EdgeCaseLabel>();
  for (const l of labels) {
    seen.set(l, 0);
    if (l.kind === 'duplicate-records') for (const id of l.eventIDs) duplicates.set(id, l);
    if (l.realistic) continue;
    index(l.key, l);
    named.push(l);
    if (l.kind === 'missing-digest') for (const k of l.relatedKeys ?? []) index(k, l);
  }
  const explain = (f: LabelledFinding): EdgeCaseLabel | undefined => {
    if (f.severity === 'info') return undefined;
    const id = /\/eventID: (\S+) is also in /.exec(f.message)?.[1];
    if (id !== undefined && duplicates.has(id)) return duplicates.get(id);
    return byFile.get(f.file)?.[0] ?? named.find((l) => f.message.includes(l.key));
  };
  return {
    classify(f) {
      const label = explain(f);
      if (!label) return f;
      seen.set(label, seen.get(label)! + 1);
      return { ...f, severity: 'info', message: `${f.message} (labelled ${label.kind}: ${label.key})` };
    },
    finish(add) {
      for (const [l, hits] of seen) {
        const present = existsSync(join(root, l.key));
        const absent = l.kind === 'missing-digest' || l.kind === 'missing-log-file';
        const where =
          present === absent
            ? `; but the object is ${present ? 'in' : 'not in'} the tree, against its label`
            : '';
        const checks = l.realistic ? '' : hits > 0 ? `; ${hits} findings above` : '; no check above saw it';
        add({
          severity: l.realistic && !where ? 'info' : 'problem',
          file: l.key,
          message: `labelled ${l.kind} (${l.action}): ${l.what}${checks}${where}`,
        });
      }
    },
  };
}
