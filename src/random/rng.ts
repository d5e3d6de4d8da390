import seedrandom from 'seedrandom';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

/**
 * The one source of randomness in trailsim. Every random choice goes through an `Rng`, and every
 * `Rng` descends from the run's seed through labelled forks, so that a part of the output depends
 * only on the seed and its own label, never on how much randomness other parts consumed.
 *
 * @example
 * const root = new Rng('42');
 * const window = root.fork('window/111122223333/us-east-1/1730419200000');
 * window.int(1, 6); // the same number for this seed and label, on every machine
 */
export class Rng {
  readonly seed: string;
  private readonly source: () => number;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.source = seedrandom.alea(this.seed);
  }

  /** A child stream that depends only on this stream's seed and the label. */
  fork(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.source();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.source() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.source() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.source() * items.length)] as T;
  }

  /** Picks an item with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.source() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.source() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.source() * alphabet.length)];
    return out;
  }

  hex(length: number): string {
    return this.chars(length, HEX);
  }

  alnum(length: number): string {
    return this.chars(length, ALNUM);
  }

  /** Upper-case letters and digits 2–7, the alphabet of IAM unique IDs and access key IDs. */
  iamId(length: number): string {
    return this.chars(length, UPPER_ALNUM);
  }

  /** A lowercase RFC 4122 version 4 UUID. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + Math.floor(this.source() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A draw from Binomial(n, p): exact for small n, normal approximation for large n. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.source() < p) k++;
      return k;
    }
    const mean = n * p;
    const sd = Math.sqrt(n * p * (1 - p));
    const k = Math.round(mean + sd * this.normal());
    return Math.min(n, Math.max(0, k));
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    let u = this.source();
    if (u < 1e-12) u = 1e-12;
    const v = this.source();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
