import { gunzipSync } from 'node:zlib';
import { gzip } from '../layout/encode.js';
import type { EdgeCaseKind } from '../scenario/edge-cases.js';

/** The broken kinds that replace a log file's bytes, and what each stores instead. */
export const BROKEN_BODIES = {
  /** The gzip member cut at half its length: no trailer, the deflate stream ends early. */
  'truncated-gzip': (gz: Uint8Array) => ({
    body: Buffer.from(gz.subarray(0, Math.floor(gz.length / 2))),
    what: 'gzip member truncated at half its length (no trailer)',
  }),
  /** The uncompressed JSON, stored as if it were the gzip. */
  'not-gzip': (gz: Uint8Array) => ({
    body: gunzipSync(gz),
    what: 'not gzip: the JSON stored uncompressed under a .json.gz key',
  }),
  /** Valid gzip of the JSON cut at half its length. */
  'invalid-json': (gz: Uint8Array) => {
    const raw = gunzipSync(gz);
    return {
      body: gzip(raw.subarray(0, Math.floor(raw.length / 2))),
      what: 'valid gzip of JSON cut in the middle',
    };
  },
  'empty-records': () => ({
    body: gzip(Buffer.from('{"Records":[]}')),
    what: '{"Records": []}: a log file without records',
  }),
  'no-records': () => ({
    body: gzip(Buffer.from('{}')),
    what: 'a JSON document without Records',
  }),
  'zero-byte': () => ({ body: Buffer.alloc(0), what: 'zero bytes' }),
} satisfies Partial<Record<EdgeCaseKind, (gz: Uint8Array) => { body: Buffer; what: string }>>;

export type BrokenBodyKind = keyof typeof BROKEN_BODIES;

export function isBrokenBodyKind(kind: EdgeCaseKind): kind is BrokenBodyKind {
  return kind in BROKEN_BODIES;
}
