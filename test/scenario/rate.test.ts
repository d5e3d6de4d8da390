import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate } from '../../src/scenario/rate.js';

describe('parseRate', () => {
  it('reads per second, minute and hour', () => {
    expect(parseRate('2000/s', '--rate')).toBe(2000);
    expect(parseRate('120/m', '--rate')).toBe(2);
    expect(parseRate('7200/h', '--rate')).toBe(2);
    expect(parseRate('15', '--rate')).toBe(15);
  });
  it('rejects what is not a rate, naming the flag', () => {
    expect(() => parseRate('fast', '--rate')).toThrow('--rate: "fast" is not a rate such as 2000/s');
    expect(() => parseRate('10/d', '--rate')).toThrow('--rate');
    expect(() => parseRate('0/s', '--rate')).toThrow('--rate: the rate must be above 0');
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m, h, d', () => {
    expect(parseDuration('250ms', '--d')).toBe(250);
    expect(parseDuration('60s', '--d')).toBe(60_000);
    expect(parseDuration('5m', '--d')).toBe(300_000);
    expect(parseDuration('1.5h', '--d')).toBe(5_400_000);
    expect(parseDuration('2d', '--d')).toBe(172_800_000);
    expect(parseDuration('3', '--d')).toBe(3000);
  });
  it('rejects junk', () => {
    expect(() => parseDuration('5 minutes', '--interval')).toThrow(
      '--interval: "5 minutes" is not a duration',
    );
    expect(() => parseDuration('0s', '--interval')).toThrow('above 0');
  });
});
