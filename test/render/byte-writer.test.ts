import { describe, expect, it } from 'vitest';
import { ByteWriter, utf8 } from '../../src/render/byte-writer.js';
import { Rng } from '../../src/shared/rng.js';
import { isoSeconds, isoSecondsInto } from '../../src/shared/time.js';
import { prepare, windowsOf } from '../../src/pipeline/generate.js';
import { resolveScenario } from '../../src/scenario/scenario.js';

describe('ByteWriter', () => {
  it('keeps what was written when it grows, whatever the mix of pieces', () => {
    const w = new ByteWriter(8);
    let expected = '';
    const rng = new Rng('writer');
    for (let i = 0; i < 2000; i++) {
      const kind = rng.int(0, 3);
      const piece =
        kind === 0 ? 'x'.repeat(rng.int(0, 100)) : kind === 1 ? `é${i}日本` : kind === 2 ? '{' : '"a":1';
      if (kind === 0) w.bytes(utf8(piece));
      else if (kind === 2) w.byte(0x7b);
      else w.text(piece);
      expected += piece;
    }
    expect(w.view().toString('utf8')).toBe(expected);
    expect(w.length).toBe(Buffer.byteLength(expected));
    w.reset();
    w.text('ok');
    expect(w.textFrom(0)).toBe('ok');
  });

  it('claim gives room that Rng.uuidInto and isoSecondsInto fill as uuid() and isoSeconds() would', () => {
    const w = new ByteWriter(4);
    const a = new Rng('ids');
    const b = new Rng('ids');
    const clock = new Rng('clock');
    let expected = '';
    for (let i = 0; i < 500; i++) {
      const at = w.claim(36);
      a.uuidInto(w.buffer, at);
      expected += b.uuid();
      // Times across many days, so the cached day is both reused and replaced.
      const ms = Date.parse('2024-02-28T00:00:00Z') + Math.floor(clock.next() * 4 * 86_400_000);
      const at2 = w.claim(20);
      isoSecondsInto(w.buffer, at2, ms);
      expected += isoSeconds(ms);
    }
    expect(w.textFrom(0)).toBe(expected);
    expect(a.next()).toBe(b.next());
  });
});

describe('Renderer.renderRecords', () => {
  it('writes a log file body, each record at the offsets it reports, stamped with its time', () => {
    const p = prepare(resolveScenario({ seed: 11, events: 3000 }));
    let checked = 0;
    for (const w of windowsOf(p)) {
      const r = p.renderer.renderRecords(w);
      const parsed = JSON.parse(r.body.toString('utf8')) as { Records: { eventTime: string }[] };
      expect(parsed.Records).toHaveLength(r.times.length);
      parsed.Records.forEach((record, i) => {
        expect(JSON.parse(r.body.toString('utf8', r.starts[i], r.ends[i]))).toEqual(record);
        expect(Date.parse(record.eventTime)).toBe(Math.floor(r.times[i]! / 1000) * 1000);
      });
      checked += r.times.length;
    }
    expect(checked).toBe(3000);
  });
});
