/**
 * An error the server answers with, in the calling service's own shape: CloudTrail's JSON
 * `{"__type": code, "message": …}`, S3's XML `<Error><Code>…</Code><Message>…</Message>…`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra elements S3 puts in its error body (`Key`, `BucketName`). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}
