const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const HEX_CODES: readonly number[] = HEX.split('').map((c) => c.charCodeAt(0));
const DASH = 0x2d;
/**
 * Where each of a UUID's 33 draws lands in its 36 characters: the 13th draw (under the version
 * digit, always 4) and the 17th (under the variant digit, drawn last) are dropped (-1); the last
 * draw is the variant, at 19.
 */
const UUID_DRAW_AT: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, -1, 15, 16, 17, -1, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32,
  33, 34, 35, 19,
];
const FOUR = 0x34;
/** Where `uuid()` writes before it makes the string. */
const UUID_SCRATCH = Buffer.alloc(36);

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
  // Alea's state. Seeding and steps are Alea's own (Baagoe), exactly as the seedrandom package
  // computes them (a test compares the two), inlined because a run seeds a stream per window and
  // per session.
  // [s0, s1, s2, c] in a Float64Array: stored unboxed, so a step allocates nothing (plain fields
  // holding doubles and int32s can end up boxed, one heap number per step).
  private readonly st = new Float64Array(4);

  constructor(seed: string | number) {
    this.seed = String(seed);
    // Baagoe's seeding: one Mash hashes a space three times, then the seed three times; the state
    // is the first three less the last three. Written as one loop so that Mash's state stays a
    // local number (a closure over it would box it on every step).
    const state = [0, 0, 0, 0, 0, 0];
    let n = 0xefc8249d;
    for (let round = 0; round < 6; round++) {
      const data = round < 3 ? ' ' : this.seed;
      for (let i = 0; i < data.length; i++) {
        n += data.charCodeAt(i);
        let h = 0.02519603282416938 * n;
        n = h >>> 0;
        h -= n;
        h *= n;
        n = h >>> 0;
        h -= n;
        n += h * 0x100000000; // 2^32
      }
      state[round] = (n >>> 0) * 2.3283064365386963e-10; // 2^-32
    }
    const st = this.st;
    for (let k = 0; k < 3; k++) {
      const v = state[k]! - state[k + 3]!;
      st[k] = v < 0 ? v + 1 : v;
    }
    st[3] = 1;
  }

  /** A child stream that depends only on this stream's seed and the label. */
  fork(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /**
   * One step of Alea (Baagoe), as seedrandom computes it; the new float in [0, 1) is `st[2]`.
   * The methods below step and read `st[2]` rather than call `next()`: a double returned from a
   * call that is not inlined is boxed, a heap number per draw on the hot path.
   */
  private step(): void {
    const st = this.st;
    const t = 2091639 * st[0]! + st[3]! * 2.3283064365386963e-10; // 2^-32
    const c = t | 0;
    st[0] = st[1]!;
    st[1] = st[2]!;
    st[3] = c;
    st[2] = t - c;
  }

  /** A float in [0, 1). */
  next(): number {
    this.step();
    return this.st[2]!;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    this.step();
    return min + Math.floor(this.st[2]! * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    this.step();
    return this.st[2]! < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    this.step();
    return items[Math.floor(this.st[2]! * items.length)] as T;
  }

  /**
   * Picks an item with probability proportional to its weight. Weights drawn from on the hot path
   * are Float64Arrays (docs/hot-path.md, rule 3).
   */
  weighted<T>(items: readonly T[], weights: ArrayLike<number>): T {
    // Indexed loops: a for-of here runs an iterator, whose results are allocated when the call
    // site sees many kinds of array.
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    this.step();
    let x = this.st[2]! * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      this.step();
      const j = Math.floor(this.st[2]! * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      this.step();
      out += alphabet[Math.floor(this.st[2]! * alphabet.length)];
    }
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
    this.uuidInto(UUID_SCRATCH, 0);
    return UUID_SCRATCH.toString('latin1', 0, 36);
  }

  /**
   * Writes a UUID (as `uuid()` draws it) as 36 ASCII bytes at `at`: records are rendered straight
   * into bytes, two UUIDs each.
   */
  uuidInto(target: Uint8Array, at: number): void {
    // Alea's step inlined on local state: 33 draws per UUID, two UUIDs per record, and a call per
    // draw would box each result.
    const st = this.st;
    let s0 = st[0]!;
    let s1 = st[1]!;
    let s2 = st[2]!;
    let c = st[3]!;
    for (let draw = 0; draw < 33; draw++) {
      const t = 2091639 * s0 + c * 2.3283064365386963e-10; // 2^-32
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const i = UUID_DRAW_AT[draw]!;
      if (draw === 32) target[at + 19] = HEX_CODES[8 + Math.floor(s2 * 4)]!;
      else if (i >= 0) target[at + i] = HEX_CODES[(s2 * 16) | 0]!;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = c;
    target[at + 8] = DASH;
    target[at + 13] = DASH;
    target[at + 14] = FOUR;
    target[at + 18] = DASH;
    target[at + 23] = DASH;
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
