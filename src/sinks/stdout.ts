/**
 * Writes lines to a stream (standard output) in large chunks, waiting for each chunk to be taken,
 * so memory stays bounded when the reader is slow. When the reader goes away (`| head`: EPIPE) the
 * writer marks itself closed instead of throwing, and producers stop quietly.
 *
 * @example
 * const out = new LineWriter(process.stdout);
 * for (const line of lines) if (!(await out.write(line))) break; // reader gone
 * await out.end();
 */
export class LineWriter {
  private buffer = '';
  private gone = false;
  private failure: Error | undefined;
  private lines = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly chunkSize = 64 * 1024,
  ) {
    // Without a listener an EPIPE would surface as an uncaught exception with a stack trace.
    out.on('error', (err: NodeJS.ErrnoException) => this.onError(err));
  }

  /** False once the reader has gone away. */
  get open(): boolean {
    return !this.gone;
  }

  /** Lines accepted so far. */
  get count(): number {
    return this.lines;
  }

  /** Queues one line (without its newline); resolves false when the reader has gone away. */
  async write(line: string): Promise<boolean> {
    if (this.gone) return false;
    this.buffer += `${line}\n`;
    this.lines++;
    if (this.buffer.length >= this.chunkSize) await this.flush();
    return !this.gone;
  }

  /** Hands the buffered lines to the stream and waits until it has taken them. */
  async flush(): Promise<void> {
    if (this.gone || this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    await new Promise<void>((resolve) => {
      this.out.write(chunk, (err?: Error | null) => {
        if (err) this.onError(err as NodeJS.ErrnoException);
        resolve();
      });
    });
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    await this.flush();
  }

  private onError(err: NodeJS.ErrnoException): void {
    this.gone = true;
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') this.failure ??= err;
  }
}
