import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/shared/rng.js';

describe('Rng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('forks streams that depend only on the seed and the label', () => {
    const root = new Rng(7);
    const before = root.fork('window/a').uuid();
    for (let i = 0; i < 100; i++) root.next();
    root.fork('window/b').next();
    expect(root.fork('window/a').uuid()).toBe(before);
    expect(root.fork('window/b').uuid()).not.toBe(before);
  });

  it('draws lowercase version 4 UUIDs and IAM-style IDs', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(rng.iamId(16)).toMatch(/^[A-Z2-7]{16}$/);
    }
  });

  it('keeps int, weighted and binomial draws inside their bounds and near their means', () => {
    const rng = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 2000; i++) {
      const k = rng.int(2, 5);
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThanOrEqual(5);
      sum += k;
    }
    expect(sum / 2000).toBeGreaterThan(3.3);
    expect(sum / 2000).toBeLessThan(3.7);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) counts[rng.weighted(['a', 'b'] as const, [3, 1])]++;
    expect(counts.a / 4000).toBeGreaterThan(0.7);
    expect(counts.a / 4000).toBeLessThan(0.8);
    for (const n of [10, 1000, 1_000_000]) {
      const k = rng.binomial(n, 0.3);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThanOrEqual(n);
      expect(Math.abs(k - 0.3 * n)).toBeLessThan(6 * Math.sqrt(n * 0.21) + 1);
    }
    expect(rng.binomial(50, 0)).toBe(0);
    expect(rng.binomial(50, 1)).toBe(50);
  });
});
