import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds, progressMode } from '../../src/cli/progress.js';
import { formatSummary } from '../../src/cli/commands/generate.js';

const summary = (records: number, files: number) => ({
  seed: 1,
  files,
  records,
  bytes: 0,
  rawBytes: 0,
  otherObjects: 0,
});

function recorder() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WritableStream };
}

describe('progress', () => {
  it('is a bar on a terminal, plain lines in a log, nothing with --quiet', () => {
    expect(progressMode({ isTTY: true }, false)).toBe('bar');
    expect(progressMode({ isTTY: false }, false)).toBe('lines');
    expect(progressMode({ isTTY: true }, true)).toBe('off');
  });

  it('writes a plain line every 10 s with events, files, rate and ETA', () => {
    let t = 0;
    const { chunks, stream } = recorder();
    const p = createProgress(1000, stream, 'lines', () => t);
    t = 5_000;
    p.update(summary(100, 3));
    expect(chunks).toEqual([]);
    t = 10_000;
    p.update(summary(250, 7));
    expect(chunks).toEqual(['trailsim: 25% 250/1000 events, 7 files, 25 events/s, ETA 30s\n']);
    t = 15_000;
    p.update(summary(400, 9));
    expect(chunks).toHaveLength(1);
    p.done();
    expect(chunks).toHaveLength(1);
  });

  it('redraws a bar in place and clears it at the end', () => {
    let t = 0;
    const { chunks, stream } = recorder();
    const p = createProgress(200, stream, 'bar', () => t);
    t = 1_000;
    p.update(summary(100, 4));
    expect(chunks[0]).toBe(
      `\r[${'#'.repeat(12)}${'-'.repeat(12)}]  50% 100/200 events, 4 files, 100 events/s, ETA 1s\x1b[K`,
    );
    p.done();
    expect(chunks[1]).toBe('\r\x1b[K');
    expect(p.elapsed()).toBe(1);
  });

  it('draws nothing when off', () => {
    let t = 0;
    const { chunks, stream } = recorder();
    const p = createProgress(200, stream, 'off', () => t);
    t = 60_000;
    p.update(summary(100, 4));
    p.done();
    expect(chunks).toEqual([]);
  });

  it('formats durations and the final summary', () => {
    expect([formatSeconds(NaN), formatSeconds(4.4), formatSeconds(65), formatSeconds(7260)]).toEqual([
      '?',
      '4s',
      '1m05s',
      '2h01m',
    ]);
    const text = formatSummary({
      ...summary(5000, 12),
      bytes: 900,
      rawBytes: 4000,
      digests: 0,
      seconds: 2,
      out: '/x',
    });
    expect(text.split('\n')).toEqual([
      'trailsim: wrote 12 log files, 5000 records in 2s',
      '  files     12 log files, 0 other files',
      '  records   5000',
      '  bytes     900 gzipped (4000 uncompressed)',
      '  duration  2.00 s (2500 events/s)',
      '  seed      1',
      '  output    /x',
      '',
    ]);
  });
});
