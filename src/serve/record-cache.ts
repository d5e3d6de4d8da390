import { parseLogRecords, type LogRecord } from './log-summary.js';
import { readUnchanged, sameFile, type FileStat } from './tree-scan.js';

/**
 * The parsed records of the log files read most recently, so that a paginator asking for the
 * next page (at once, with the same filters) does not parse the same files again. Bounded by a
 * number of records, not files, so memory stays bounded whatever the files' sizes.
 */
export class RecordCache {
  private readonly entries = new Map<string, { stat: FileStat; records: LogRecord[] }>();
  private held = 0;

  constructor(private readonly maxRecords = 50_000) {}

  /** The records of the file `stat` describes; StaleFile when the file is no longer that one. */
  get(stat: FileStat): LogRecord[] {
    const hit = this.entries.get(stat.key);
    if (hit && sameFile(hit.stat, stat)) {
      // Most recently used last.
      this.entries.delete(stat.key);
      this.entries.set(stat.key, hit);
      return hit.records;
    }
    const records = parseLogRecords(readUnchanged(stat));
    if (hit) this.drop(stat.key);
    this.entries.set(stat.key, { stat, records });
    this.held += records.length;
    for (const key of this.entries.keys()) {
      if (this.held <= this.maxRecords || key === stat.key) break;
      this.drop(key);
    }
    return records;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.held -= e.records.length;
    this.entries.delete(key);
  }
}
