import { ApiError } from './api-error.js';
import { el, S3_NS, s3Time } from './s3-xml.js';
import type { TreeSnapshot } from './tree-index.js';

/**
 * S3's ListObjectsV2 and ListObjects (V1) over the tree's sorted keys: prefix, delimiter (keys
 * below it rolled up into CommonPrefixes), max-keys, and the position to resume from
 * (continuation token, start-after, marker).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 */
interface ListPage {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next one starts. */
  last: string | undefined;
}

/** Index of the first key for which `isBefore` is false (keys are sorted; `isBefore` monotone). */
function firstNotBefore(keys: string[], isBefore: (k: string) => boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(keys[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first key past every key that starts with `p`. */
const pastPrefix = (keys: string[], p: string): number =>
  firstNotBefore(keys, (k) => k < p || k.startsWith(p));

function listKeys(
  keys: string[],
  prefix: string,
  delimiter: string,
  after: string,
  maxKeys: number,
): ListPage {
  let i = firstNotBefore(keys, (k) => k < prefix || k <= after);
  // Resuming after a common prefix skips the keys rolled up into it.
  if (delimiter && after.length > prefix.length && after.startsWith(prefix) && after.endsWith(delimiter))
    i = Math.max(i, pastPrefix(keys, after));
  const page: ListPage = { keys: [], prefixes: [], truncated: false, last: undefined };
  while (i < keys.length) {
    const k = keys[i]!;
    if (!k.startsWith(prefix)) break;
    if (page.keys.length + page.prefixes.length >= maxKeys) {
      page.truncated = true;
      break;
    }
    const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = k.slice(0, cut + delimiter.length);
      page.prefixes.push(common);
      page.last = common;
      i = pastPrefix(keys, common);
    } else {
      page.keys.push(k);
      page.last = k;
      i++;
    }
  }
  return page;
}

/** `encoding-type=url`: keys percent-encoded (the AWS CLI asks for it), else as they are. */
function encoder(query: URLSearchParams): (s: string) => string {
  const type = query.get('encoding-type');
  if (type === null) return (s) => s;
  if (type !== 'url') throw new ApiError('InvalidArgument', 'Invalid Encoding Method specified in Request');
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function maxKeysOf(query: URLSearchParams): number {
  const raw = query.get('max-keys');
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw new ApiError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, {
      ArgumentName: 'max-keys',
      ArgumentValue: raw,
    });
  return Math.min(n, 1000);
}

function contents(snap: TreeSnapshot, page: ListPage, enc: (s: string) => string): string {
  const objects = page.keys
    .map((k) => {
      const o = snap.objects.get(k)!;
      return `<Contents>${el('Key', enc(k))}${el('LastModified', s3Time(o.lastModified))}${el('ETag', o.etag)}${el('Size', o.size)}${el('StorageClass', 'STANDARD')}</Contents>`;
    })
    .join('');
  const prefixes = page.prefixes
    .map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`)
    .join('');
  return objects + prefixes;
}

/** The body of a ListObjectsV2 answer. */
export function listObjectsV2(snap: TreeSnapshot, bucket: string, query: URLSearchParams): string {
  const enc = encoder(query);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(query);
  const token = query.get('continuation-token');
  let after = query.get('start-after') ?? '';
  if (token !== null) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || !decoded.startsWith('k:'))
      throw new ApiError('InvalidArgument', 'The continuation token provided is incorrect', 400, {
        ArgumentName: 'continuation-token',
      });
    after = decoded.slice(2);
  }
  const page = listKeys(snap.keys, prefix, delimiter, after, maxKeys);
  const next =
    page.truncated && page.last !== undefined ? Buffer.from(`k:${page.last}`).toString('base64url') : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NS}">` +
    el('Name', bucket) +
    el('Prefix', enc(prefix)) +
    (delimiter ? el('Delimiter', enc(delimiter)) : '') +
    el('MaxKeys', maxKeys) +
    (query.get('encoding-type') ? el('EncodingType', 'url') : '') +
    el('KeyCount', page.keys.length + page.prefixes.length) +
    el('IsTruncated', page.truncated) +
    (token !== null ? el('ContinuationToken', token) : '') +
    (next ? el('NextContinuationToken', next) : '') +
    (query.get('start-after') !== null ? el('StartAfter', enc(query.get('start-after')!)) : '') +
    contents(snap, page, enc) +
    '</ListBucketResult>'
  );
}

/** The body of a ListObjects (V1) answer: resumes after `marker`, NextMarker when truncated. */
export function listObjectsV1(snap: TreeSnapshot, bucket: string, query: URLSearchParams): string {
  const enc = encoder(query);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const marker = query.get('marker') ?? '';
  const maxKeys = maxKeysOf(query);
  const page = listKeys(snap.keys, prefix, delimiter, marker, maxKeys);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NS}">` +
    el('Name', bucket) +
    el('Prefix', enc(prefix)) +
    el('Marker', enc(marker)) +
    (page.truncated && page.last !== undefined ? el('NextMarker', enc(page.last)) : '') +
    el('MaxKeys', maxKeys) +
    (delimiter ? el('Delimiter', enc(delimiter)) : '') +
    (query.get('encoding-type') ? el('EncodingType', 'url') : '') +
    el('IsTruncated', page.truncated) +
    contents(snap, page, enc) +
    '</ListBucketResult>'
  );
}
