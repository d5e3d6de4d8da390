import { ApiError } from './api-error.js';
import { listObjectsV1, listObjectsV2 } from './s3-listing.js';
import { el, S3_NS, s3Time } from './s3-xml.js';
import type { TreeObject, TreeSnapshot } from './tree-index.js';
import { readUnchanged } from './tree-scan.js';

/**
 * A read-only S3 over the tree: one bucket (the trail's), addressed path-style
 * (`/bucket/key`) or virtual-host-style (`Host: bucket.…`). Reads answer as S3 does; writes are
 * refused with S3's AccessDenied.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
export interface S3Request {
  method: string;
  host: string;
  /** The request's path, still percent-encoded, without the query. */
  path: string;
  query: URLSearchParams;
  range: string | undefined;
}

export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Which bucket and key a request names. */
export function addressOf(req: S3Request, bucket: string): { bucket: string; key: string } {
  const host = req.host.replace(/:\d+$/, '');
  const path = req.path.replace(/^\//, '');
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ApiError('InvalidURI', "Couldn't parse the specified URI.");
    }
  };
  if (host.startsWith(`${bucket}.`)) return { bucket, key: decode(path) };
  const slash = path.indexOf('/');
  return slash < 0
    ? { bucket: decode(path), key: '' }
    : { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
}

const xml = (status: number, body: string, headers: Record<string, string> = {}): S3Response => ({
  status,
  headers: { 'content-type': 'application/xml', ...headers },
  body,
});

/** The bucket's Region: the trail's home Region, where CloudTrail's own bucket usually is. */
function bucketRegion(snap: TreeSnapshot): string {
  return snap.facts.trails[0]?.HomeRegion ?? 'us-east-1';
}

/** A single `bytes=` range, as S3 takes it; undefined for none (or several: S3 then sends all). */
function rangeOf(header: string | undefined, size: number): [number, number] | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end || (m[1] === '' && Number(m[2]) === 0))
    throw new ApiError('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: header,
      ActualObjectSize: String(size),
    });
  return [start, end];
}

function objectHeaders(o: TreeObject, snap: TreeSnapshot): Record<string, string> {
  const entry = snap.facts.entries.get(o.key);
  const headers: Record<string, string> = {
    'content-type': entry?.contentType ?? 'application/octet-stream',
    etag: o.etag,
    'last-modified': new Date(o.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(entry?.metadata ?? {})) headers[`x-amz-meta-${k}`] = v;
  return headers;
}

function getObject(req: S3Request, snap: TreeSnapshot, key: string): S3Response {
  const o = snap.objects.get(key);
  if (!o) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  const headers = objectHeaders(o, snap);
  const range = rangeOf(req.range, o.size);
  const head = req.method === 'HEAD';
  const bytes = head ? Buffer.alloc(0) : readUnchanged(o);
  if (!range) return { status: 200, headers: { ...headers, 'content-length': String(o.size) }, body: bytes };
  const [start, end] = range;
  return {
    status: 206,
    headers: {
      ...headers,
      'content-range': `bytes ${start}-${end}/${o.size}`,
      'content-length': String(end - start + 1),
    },
    body: head ? bytes : bytes.subarray(start, end + 1),
  };
}

/** Sub-resources of a bucket that this read-only view does not have. */
const UNSUPPORTED = [
  'acl',
  'policy',
  'versioning',
  'versions',
  'uploads',
  'tagging',
  'cors',
  'lifecycle',
  'website',
];

/** Answers one S3 request from a snapshot. Errors are ApiErrors with S3's codes. */
export function callS3(req: S3Request, snap: TreeSnapshot): S3Response {
  const served = snap.facts.bucket;
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new ApiError('AccessDenied', 'Access Denied (trailsim serve is read-only)', 403);
  const { bucket, key } = addressOf(req, served);
  if (bucket === '') {
    const created = Math.min(...[...snap.objects.values()].map((o) => o.lastModified), 8.64e15);
    return xml(
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${el('ID', 'trailsim')}${el('DisplayName', 'trailsim')}</Owner>` +
        `<Buckets><Bucket>${el('Name', served)}${el('CreationDate', s3Time(created < 8.64e15 ? created : 0))}</Bucket></Buckets></ListAllMyBucketsResult>`,
    );
  }
  if (bucket !== served)
    throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
  for (const sub of UNSUPPORTED)
    if (req.query.has(sub))
      throw new ApiError('NotImplemented', `trailsim serve does not implement ?${sub}`, 501);
  if (key !== '') return getObject(req, snap, key);
  const region = bucketRegion(snap);
  if (req.method === 'HEAD') return { status: 200, headers: { 'x-amz-bucket-region': region }, body: '' };
  if (req.query.has('location'))
    return xml(
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NS}">${region === 'us-east-1' ? '' : region}</LocationConstraint>`,
    );
  const body =
    req.query.get('list-type') === '2'
      ? listObjectsV2(snap, bucket, req.query)
      : listObjectsV1(snap, bucket, req.query);
  return xml(200, body, { 'x-amz-bucket-region': region });
}
