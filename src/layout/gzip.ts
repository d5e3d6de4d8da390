import { constants, createGzip, gzipSync } from 'node:zlib';

/** The native zlib handle under a Node zlib stream, as far as this module uses it. */
interface ZlibHandle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}

/**
 * A gzip compressor kept for the life of the thread: one zlib stream, reset between buffers.
 *
 * `zlib.gzipSync` builds a new stream object (a Transform with its own buffers) and a new deflate
 * state for every call, and closes them after. For the small files a run writes by the thousand
 * (a day's 1,200 digests, most under 2 KB) that set-up is most of the cost: in a fresh process,
 * 1,200 calls took ~110 ms of CPU through gzipSync and ~22 ms through one reset stream. A reset
 * deflate state compresses exactly as a new one does, so the bytes are the same.
 *
 * This drives the stream's native handle (`_handle.writeSync`, `_writeState`) the way Node's own
 * gzipSync does. Those are Node internals: when they are not as expected, it falls back to
 * gzipSync (`reusing` is then false), which gives the same bytes.
 */
export class ReusedGzip {
  private readonly handle: ZlibHandle | null;
  private readonly state: Uint32Array | null;
  private failure: Error | null = null;

  constructor(readonly level: number) {
    // The handle refers back to its stream, so keeping the handle keeps both.
    const engine = createGzip({ level }) as unknown as { _handle?: unknown; _writeState?: unknown };
    const handle = engine._handle as Partial<ZlibHandle> | undefined;
    const state = engine._writeState;
    const usable =
      typeof handle?.reset === 'function' &&
      typeof handle.writeSync === 'function' &&
      state instanceof Uint32Array &&
      state.length === 2;
    this.handle = usable ? (handle as ZlibHandle) : null;
    this.state = usable ? state : null;
    if (this.handle) {
      this.handle.onerror = (message, errno) => {
        this.failure = new Error(`zlib: ${message} (${errno})`);
      };
    }
  }

  /** Whether the stream is reused (false: every call goes through gzipSync). */
  get reusing(): boolean {
    return this.handle !== null;
  }

  /**
   * `data` as one gzip member, byte for byte what `gzipSync(data, { level })` gives.
   *
   * @example
   * const gz = new ReusedGzip(6);
   * gz.compress(Buffer.from('{"Records":[]}')).equals(gzipSync('{"Records":[]}', { level: 6 })); // true
   */
  compress(data: Uint8Array): Buffer {
    const handle = this.handle;
    const state = this.state;
    if (!handle || !state) return gzipSync(data, { level: this.level });
    handle.reset();
    let out = Buffer.allocUnsafe(firstRoom(data.length));
    let outOffset = 0;
    let inOffset = 0;
    let inLength = data.length;
    const parts: Buffer[] = [];
    for (;;) {
      const room = out.length - outOffset;
      handle.writeSync(constants.Z_FINISH, data, inOffset, inLength, out, outOffset, room);
      if (this.failure) {
        const err = this.failure;
        this.failure = null;
        throw err;
      }
      const roomLeft = state[0]!;
      const inLeft = state[1]!;
      inOffset += inLength - inLeft;
      inLength = inLeft;
      outOffset += room - roomLeft;
      // Output space left over means deflate reached the end of the member.
      if (roomLeft > 0) break;
      parts.push(out.subarray(0, outOffset));
      out = Buffer.allocUnsafe(Math.max(64 * 1024, inLength + 64));
      outOffset = 0;
    }
    const last = out.subarray(0, outOffset);
    if (parts.length === 0) return last;
    parts.push(last);
    return Buffer.concat(parts);
  }
}

/** Inputs up to this size get room for their whole member, compressible or not. */
const SMALL_INPUT = 16 * 1024;

/**
 * The first output buffer's size. A small input gets its own length and more: a digest (its
 * signatures are hex, ~2:1) or a quiet hour's log file would overflow a quarter of it, and the
 * overflow buffer is a fresh 64 KB allocation, which cost more than the compression of such a file.
 * Buffers this small come from Node's pool. A large input (a log file, ~8:1) gets a quarter, so a
 * body kept as a view into it does not hold four times its size; anything that compresses worse
 * goes on in further buffers.
 */
function firstRoom(inputLength: number): number {
  return inputLength <= SMALL_INPUT ? inputLength + 64 : (inputLength >> 2) + 64;
}

const compressors = new Map<number, ReusedGzip>();

/** This thread's compressor for a level, made on first use. */
export function gzipFor(level: number): ReusedGzip {
  let c = compressors.get(level);
  if (!c) compressors.set(level, (c = new ReusedGzip(level)));
  return c;
}
