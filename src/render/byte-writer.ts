/**
 * A growable buffer that records are written into as UTF-8 bytes. Rendering straight into bytes
 * spares the hot path what strings cost there: each record built from twenty-odd pieces, then
 * flattened, then encoded again when the log file is assembled. Fragments that repeat (a session's
 * userIdentity, a template's names, a Region) are encoded once and copied in; the few strings that
 * vary per call are encoded in place.
 *
 * @example
 * const w = new ByteWriter();
 * w.bytes(utf8('{"a":'));
 * w.text(JSON.stringify('é'));
 * w.byte(0x7d); // }
 * w.view().toString('utf8'); // '{"a":"é"}'
 */
export class ByteWriter {
  private buf: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Room for `n` more bytes. */
  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  /** Appends bytes encoded earlier (see `utf8`). */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Appends a string as UTF-8. */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  /** Appends one byte (an ASCII character code). */
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  /**
   * Room for `n` bytes written directly, e.g. by `Rng.uuidInto`: returns the offset in `buffer` to
   * write at, and counts the bytes as written.
   */
  claim(n: number): number {
    this.reserve(n);
    const at = this.length;
    this.length += n;
    return at;
  }

  /** The buffer written into; it changes when the writer grows, so read it after `claim`. */
  get buffer(): Buffer {
    return this.buf;
  }

  /** The bytes written since `from`, decoded. */
  textFrom(from: number): string {
    return this.buf.toString('utf8', from, this.length);
  }

  /** What has been written: a view, valid until the next write or `reset`. */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Starts over, keeping the memory. */
  reset(): void {
    this.length = 0;
  }
}

/** A fragment encoded once, to be copied into records with `ByteWriter.bytes`. */
export function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
