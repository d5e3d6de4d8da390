import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Decompresses a gzip file that must hold exactly one member, the way `aws cloudtrail
 * validate-logs` reads it (it decompresses only the first member, while most readers read them
 * all, so a second member means different readers see different content). Throws an Error whose
 * message says what is wrong.
 *
 * @example
 * gunzipSingleMember(gzipSync(Buffer.from('{}'))).toString(); // '{}'
 */
export function gunzipSingleMember(data: Uint8Array): Buffer {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 18 || buf[0] !== 0x1f || buf[1] !== 0x8b) throw new Error('not a gzip file');
  if (buf[2] !== 8) throw new Error('gzip member does not use deflate');
  const flags = buf[3]!;
  // The member header: fixed 10 bytes, then optional extra field, name, comment and header CRC.
  let at = 10;
  if (flags & 4) {
    if (at + 2 > buf.length) throw new Error('truncated gzip header');
    at += 2 + buf.readUInt16LE(at);
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const zero = buf.indexOf(0, at);
      if (zero < 0) throw new Error('truncated gzip header');
      at = zero + 1;
    }
  }
  if (flags & 2) at += 2;
  if (at >= buf.length) throw new Error('truncated gzip header');
  let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    inflated = inflateRawSync(buf.subarray(at), { info: true }) as unknown as typeof inflated;
  } catch (err) {
    throw new Error(`corrupt gzip data (${(err as Error).message})`);
  }
  const out = inflated.buffer;
  const trailer = at + inflated.engine.bytesWritten;
  if (trailer + 8 > buf.length) throw new Error('truncated gzip file (no CRC trailer)');
  if (buf.readUInt32LE(trailer) !== crc32(out)) throw new Error('gzip CRC does not match the content');
  if (buf.readUInt32LE(trailer + 4) !== out.length % 2 ** 32) throw new Error('gzip length does not match');
  const rest = buf.length - trailer - 8;
  if (rest > 0) {
    const again = buf[trailer + 8] === 0x1f && buf[trailer + 9] === 0x8b;
    throw new Error(
      again
        ? 'more than one gzip member (aws cloudtrail validate-logs reads only the first)'
        : `${rest} bytes after the end of the gzip member`,
    );
  }
  return out;
}
