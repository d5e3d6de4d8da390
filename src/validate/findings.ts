/** What validate reports: its findings and counts. */

/**
 * One thing a careful consumer would trip over (`problem`), could not check (`warning`), or should
 * know of (`info`: an edge case the run's manifest labels, docs/edge-cases.md).
 */
export interface Finding {
  severity: 'problem' | 'warning' | 'info';
  /** The file, relative to the tree's root (`.` for the tree as a whole). */
  file: string;
  message: string;
}

export interface ValidationReport {
  findings: Finding[];
  problems: number;
  warnings: number;
  /** Findings of severity `info`. */
  infos: number;
  logFiles: number;
  records: number;
  digests: number;
  /** Digests whose signature was checked and holds. */
  signaturesVerified: number;
  /** Incidents the run's labels list, and their records (each checked to be in the tree). */
  incidents?: { incidents: number; records: number };
}
