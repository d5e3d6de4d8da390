import { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../shared/errors.js';

export interface S3ClientOptions {
  /** `--endpoint-url`; otherwise `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, then AWS itself. */
  endpoint?: string;
  /** Attempts per request, the SDK's standard retry strategy (default 3). */
  maxAttempts?: number;
}

/**
 * The endpoint a client will use: the flag, then the environment variables the AWS CLI reads too.
 * A value that is not an http(s) URL is the user's mistake, named where it came from.
 *
 * @example resolveEndpoint('http://127.0.0.1:9000') // 'http://127.0.0.1:9000'
 * @throws UsageError naming `--endpoint-url` or the environment variable
 */
export function resolveEndpoint(flag: string | undefined): string | undefined {
  const sources: [string, string | undefined][] = [
    ['--endpoint-url', flag],
    ['AWS_ENDPOINT_URL_S3', process.env.AWS_ENDPOINT_URL_S3],
    ['AWS_ENDPOINT_URL', process.env.AWS_ENDPOINT_URL],
  ];
  const [where, value] = sources.find(([, v]) => v) ?? [];
  if (where === undefined || value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new UsageError(
      where,
      `"${value}" is not an http:// or https:// URL (such as http://127.0.0.1:9000)`,
    );
  return value;
}

/**
 * An S3 client with the standard credential chain and Region resolution (environment, shared
 * config and credentials files, SSO, container and instance roles). With a custom endpoint (MinIO,
 * LocalStack, moto) it uses path-style addressing, which those servers expect, and falls back to
 * us-east-1 when no Region is set, since such servers ignore it.
 *
 * @example
 * const s3 = createS3Client({ endpoint: 'http://127.0.0.1:5000' });
 */
export function createS3Client(opts: S3ClientOptions = {}): S3Client {
  // trailsim supports Node 20.19+; the SDK's notice that its own future releases will need Node 22
  // is addressed to trailsim's maintainers, not to people running the CLI.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = resolveEndpoint(opts.endpoint);
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true, region: region ?? 'us-east-1' } : {}),
    maxAttempts: opts.maxAttempts ?? 3,
    // Checksums only where S3 requires them: newer SDKs otherwise send stream bodies with
    // aws-chunked framing, which some S3-compatible servers store verbatim (s3rver does).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

/**
 * Turns what the SDK throws for a user's mistake (no such bucket, bad or missing credentials, no
 * Region, an endpoint that does not answer) into a one-line UsageError; anything else is returned
 * unchanged.
 */
export function describeS3Error(err: unknown, where: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.Code ?? e.name;
  if (code === 'NoSuchBucket') return new UsageError(where, 'the bucket does not exist');
  if (CREDENTIAL_CODES.has(code) || e.name === 'CredentialsProviderError')
    return new UsageError(where, `AWS credentials were refused or not found (${code}): ${firstLine(e)}`);
  if (code === 'AccessDenied' || e.$metadata?.httpStatusCode === 403)
    return new UsageError(where, `access denied: ${firstLine(e)}`);
  if (/Region is missing/i.test(e.message))
    return new UsageError(where, 'no AWS Region: set AWS_REGION or a region in your AWS config');
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
    return new UsageError(where, `cannot reach the S3 endpoint (${e.code})`);
  return err;
}

function firstLine(e: Error): string {
  return (e.message || e.name).split('\n')[0]!;
}
