import seedrandom from 'seedrandom';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const HEX_CHARS: readonly string[] = HEX.split('');

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
  // Alea's state. seedrandom seeds it (the one place that turns a label into a stream); the steps
  // are Alea's own, inlined here so the hot path calls a plain method rather than a closure.
  private s0: number;
  private s1: number;
  private s2: number;
  private c: number;

  constructor(seed: string | number) {
    this.seed = String(seed);
    const state = seedrandom.alea(this.seed, { state: true }).state();
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  /** A child stream that depends only on this stream's seed and the label. */
  fork(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** A float in [0, 1): the next step of Alea (Baagoe), as seedrandom computes it. */
  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks an item with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
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

  /**
   * A lowercase RFC 4122 version 4 UUID: 32 hex draws (those under the version and variant digits
   * are drawn and dropped), then the variant.
   */
  uuid(): string {
    let head = '';
    for (let i = 0; i < 16; i++) {
      const c = HEX_CHARS[(this.next() * 16) | 0]!;
      if (i === 8) head += '-';
      head += i === 12 ? '-4' : c;
    }
    this.next(); // under the variant digit
    let tail = '';
    for (let i = 17; i < 32; i++) {
      if (i === 20) tail += '-';
      tail += HEX_CHARS[(this.next() * 16) | 0]!;
    }
    return `${head}-${HEX[8 + Math.floor(this.next() * 4)]}${tail}`;
  }

  /** A draw from Binomial(n, p): exact for small n, normal approximation for large n. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n < 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) k++;
      return k;
    }
    const mean = n * p;
    const sd = Math.sqrt(n * p * (1 - p));
    const k = Math.round(mean + sd * this.normal());
    return Math.min(n, Math.max(0, k));
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    let u = this.next();
    if (u < 1e-12) u = 1e-12;
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
