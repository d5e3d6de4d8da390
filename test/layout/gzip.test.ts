import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Rng } from '../../src/shared/rng.js';
import { ReusedGzip, gzipFor } from '../../src/layout/gzip.js';

/** Text like a log file's: repetitive JSON with varying values. */
function jsonText(rng: Rng, records: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < records; i++)
    parts.push(
      JSON.stringify({
        eventTime: `2026-11-01T00:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`,
        eventName: rng.pick(['ListInsights', 'DescribeInsight', 'GetResourceCollection']),
        requestID: rng.uuid(),
        sourceIPAddress: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}`,
      }),
    );
  return Buffer.from(`{"Records":[${parts.join(',')}]}`);
}

/** Bytes deflate cannot shrink: its output is larger than its input. */
function noise(rng: Rng, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = rng.int(0, 255);
  return b;
}

describe('ReusedGzip', () => {
  it('reuses the stream on this Node (else every call would build a new one)', () => {
    expect(new ReusedGzip(6).reusing).toBe(true);
  });

  it('gives the bytes of gzipSync for empty, small, large and incompressible inputs, call after call', () => {
    const rng = new Rng(11);
    const inputs = [
      Buffer.alloc(0),
      Buffer.from('{"Records":[]}'),
      jsonText(rng, 3),
      noise(rng, 100),
      noise(rng, 16 * 1024), // the largest input given room for its whole member
      noise(rng, 16 * 1024 + 1), // the smallest given a quarter: goes on in a second buffer
      jsonText(rng, 2_000), // several hundred KB: many deflate blocks
      noise(rng, 300_000), // stored blocks: output larger than input, past the first buffer's room
      jsonText(rng, 1),
    ];
    for (const level of [1, 6, 9]) {
      const gz = new ReusedGzip(level);
      // Twice through, so that every input also follows a different one on the same stream.
      for (const input of [...inputs, ...inputs.slice().reverse()]) {
        const out = gz.compress(input);
        expect(out.equals(gzipSync(input, { level })), `level ${level}, ${input.length} bytes`).toBe(true);
        expect(gunzipSync(out).equals(input)).toBe(true);
      }
    }
  });

  it('keeps one compressor per level and thread', () => {
    expect(gzipFor(6)).toBe(gzipFor(6));
    expect(gzipFor(6)).not.toBe(gzipFor(1));
    expect(gzipFor(1).level).toBe(1);
  });
});
