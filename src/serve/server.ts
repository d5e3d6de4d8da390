import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.js';
import { callCloudTrail, cloudTrailOperation } from './cloudtrail-api.js';
import { RecordCache } from './record-cache.js';
import { addressOf, callS3, type S3Request } from './s3-api.js';
import { errorXml } from './s3-xml.js';
import { ServedTree } from './served-tree.js';
import { DEFAULT_BUCKET } from './trail-facts.js';
import { StaleFile } from './tree-scan.js';

export interface ServeOptions {
  dir: string;
  /** Loopback unless asked otherwise: the server checks no credentials. */
  host?: string;
  /** 0 for any free port. */
  port?: number;
  /** Answer LookupEvents for this account only (default: every account of the tree). */
  accountId?: string;
  /** The bucket name for a tree without trailsim's manifest. */
  bucket?: string;
  /** Watch the tree for changes (default true); off, only requests that find a file changed rescan. */
  watch?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port`: the endpoint for both CloudTrail and S3. */
  url: string;
  tree: ServedTree;
  close(): Promise<void>;
}

/** Requests larger than this are no CloudTrail call this server answers. */
const MAX_BODY = 1024 * 1024;

/** The Region a SigV4 request is signed for, from its credential scope; undefined if unsigned. */
export function signedRegion(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(String(req.headers.authorization ?? ''))?.[1] ??
    query.get('X-Amz-Credential') ??
    '';
  return credential.split('/')[2] || undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      size > MAX_BODY
        ? reject(new ApiError('RequestEntityTooLarge', 'The request body is too large.', 413))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

/** Runs `answer`; a file that changed under it means a rescan and one more try. */
function withRescan<T>(tree: ServedTree, answer: () => T): T {
  try {
    return answer();
  } catch (err) {
    if (!(err instanceof StaleFile)) throw err;
    tree.rescan();
    return answer();
  }
}

/**
 * Starts `trailsim serve`: CloudTrail's JSON API (calls carry `X-Amz-Target`) and a read-only S3
 * (everything else) on one port, over the tree in `dir`, indexed before it listens.
 *
 * @example
 * const server = await startServer({ dir: 'out' });
 * // AWS_ENDPOINT_URL=server.url aws cloudtrail lookup-events --region us-east-1
 * await server.close();
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const tree = ServedTree.open(options.dir, {
    bucket: options.bucket ?? DEFAULT_BUCKET,
    watch: options.watch ?? true,
    log,
  });
  const cache = new RecordCache();
  let requests = 0;

  const cloudTrail = async (
    req: IncomingMessage,
    res: ServerResponse,
    operation: string,
    query: URLSearchParams,
    id: string,
  ) => {
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': id,
        ...extra,
      });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        throw new ApiError('SerializationException', 'The request body is not valid JSON.');
      }
      const result = withRescan(tree, () => {
        const snap = tree.current();
        const region = signedRegion(req, query) ?? snap.facts.trails[0]?.HomeRegion ?? 'us-east-1';
        return callCloudTrail(operation, body ?? {}, { snap, cache, region, accountId: options.accountId });
      });
      reply(200, result);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      reply(err.status, { __type: err.code, message: err.message }, { 'x-amzn-errortype': err.code });
    }
  };

  const s3 = async (req: IncomingMessage, res: ServerResponse, url: URL, id: string) => {
    const request: S3Request = {
      method: req.method ?? 'GET',
      host: String(req.headers.host ?? ''),
      path: url.pathname,
      query: url.searchParams,
      range: req.headers.range,
    };
    req.resume();
    try {
      const answer = withRescan(tree, () => {
        const current = tree.current();
        const { key } = addressOf(request, current.facts.bucket);
        return callS3(request, key ? tree.freshFor(key) : current);
      });
      res.writeHead(answer.status, { 'x-amz-request-id': id, ...answer.headers });
      res.end(request.method === 'HEAD' ? undefined : answer.body);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const body = errorXml(err.code, err.message, err.details, id);
      res.writeHead(err.status, { 'content-type': 'application/xml', 'x-amz-request-id': id });
      res.end(request.method === 'HEAD' ? undefined : body);
    }
  };

  const server = createServer((req, res) => {
    const id = (++requests).toString(16).toUpperCase().padStart(16, '0');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const operation = cloudTrailOperation(req.headers['x-amz-target']);
    const work =
      operation !== undefined ? cloudTrail(req, res, operation, url.searchParams, id) : s3(req, res, url, id);
    work.catch((err: unknown) => {
      log(`internal error (a bug, please report it): ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    tree,
    close: () =>
      new Promise<void>((resolve) => {
        tree.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
