import { performance } from 'node:perf_hooks';
import type { RunSummary } from '../pipeline/run.js';

/** How progress is shown: a redrawn bar (a terminal), a plain line now and then (a log), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'off';

export interface Progress {
  /** Called after every file; draws at most a few times a second. */
  update(s: RunSummary): void;
  /** Clears the bar, so that the summary starts on a clean line. */
  done(): void;
  /** Seconds since the progress started. */
  elapsed(): number;
}

const BAR_EVERY_MS = 100;
const LINE_EVERY_MS = 10_000;
const WIDTH = 24;

/** The mode for a stream: a bar on a terminal, plain lines otherwise, none with --quiet. */
export function progressMode(stream: { isTTY?: boolean }, quiet: boolean): ProgressMode {
  if (quiet) return 'off';
  return stream.isTTY ? 'bar' : 'lines';
}

/**
 * Reports a run's progress on stderr: records of the total, files, rate and ETA. Elapsed time is
 * read from the monotonic clock (or `now`, in tests) for the report only; it never reaches the output.
 *
 * @example
 *   const p = createProgress(5000, process.stderr, 'bar');
 *   await buildRun(scenario, { sink }).generate({ onProgress: (s) => p.update(s) });
 *   p.done();
 */
export function createProgress(
  total: number,
  stream: NodeJS.WritableStream,
  mode: ProgressMode,
  now: () => number = () => performance.now(),
): Progress {
  const started = now();
  let last = started;
  let drawn = false;
  const line = (s: RunSummary, at: number): string => {
    const seconds = (at - started) / 1000;
    const rate = seconds > 0 ? s.records / seconds : 0;
    const share = total > 0 ? Math.min(1, s.records / total) : 1;
    const eta = rate > 0 ? Math.max(0, (total - s.records) / rate) : NaN;
    const text = `${s.records}/${total} events, ${s.files} files, ${Math.round(rate)} events/s, ETA ${formatSeconds(eta)}`;
    if (mode === 'lines') return `trailsim: ${(share * 100).toFixed(0)}% ${text}\n`;
    const full = Math.round(share * WIDTH);
    return `\r[${'#'.repeat(full)}${'-'.repeat(WIDTH - full)}] ${(share * 100).toFixed(0).padStart(3)}% ${text}\x1b[K`;
  };
  return {
    update(s) {
      if (mode === 'off') return;
      const t = now();
      if (t - last < (mode === 'bar' ? BAR_EVERY_MS : LINE_EVERY_MS)) return;
      last = t;
      stream.write(line(s, t));
      drawn = true;
    },
    done() {
      if (mode === 'bar' && drawn) stream.write('\r\x1b[K');
    },
    elapsed() {
      return (now() - started) / 1000;
    },
  };
}

/** `1m05s`, `12s`, or `?` when not known yet. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
