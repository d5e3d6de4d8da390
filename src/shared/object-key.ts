/**
 * What makes an S3 object key, or a key prefix, safe to use as a path below a target: relative,
 * made of plain segments. A key from a manifest or a prefix from a flag is written or deleted as
 * `<target>/<key>` in a folder run, so a `..` segment, an absolute path or a backslash would reach
 * outside the target; in S3 such keys are legal but never what a trail writes.
 *
 * @example
 * keyProblem('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz'); // undefined
 * keyProblem('../victim.txt'); // 'has a ".." segment'
 */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  if (key.startsWith('/')) return 'is absolute (starts with "/")';
  if (key.includes('\\')) return 'has a backslash';
  // Control characters, NUL included: no trail writes them, and a file system may not take them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'has a control character';
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty segment ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
  }
  return undefined;
}

/** CloudTrail's limit on a trail's S3KeyPrefix. */
const MAX_PREFIX_LENGTH = 200;

/**
 * A trail's key prefix as given (a trailing `/` is dropped), or the reason it cannot be one.
 * CloudTrail keeps a prefix to 200 characters; one that would address outside the target (`..`,
 * an absolute path) is refused rather than cleaned, since the user meant something else by it.
 *
 * @example
 * normalizeKeyPrefix('team/a/'); // { prefix: 'team/a' }
 * normalizeKeyPrefix('../../escape'); // { problem: 'has a ".." segment' }
 */
export function normalizeKeyPrefix(
  text: string,
): { prefix: string; problem?: undefined } | { problem: string } {
  const prefix = text.replace(/\/+$/, '');
  if (prefix === '') return { prefix };
  if (prefix.length > MAX_PREFIX_LENGTH) return { problem: `is longer than ${MAX_PREFIX_LENGTH} characters` };
  const problem = keyProblem(prefix);
  return problem ? { problem } : { prefix };
}
