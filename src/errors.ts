/**
 * A problem with what the user asked for: a flag, a date, a scenario or template file, the output
 * place. Reported as one line, exit code 2. Anything else that escapes is a bug (exit 1).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
  /** Where the problem is: a flag (`--start`), a file and JSON path, or a folder. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(oneLine(`${where}: ${message}`));
    this.where = oneLine(where);
  }
}

/**
 * The message as one line: a value the user typed (a Region with a newline in it, a NUL) is quoted
 * into messages, and must not break the one line a bad input gets, nor write control characters
 * to a terminal.
 *
 * @example oneLine('--regions: "a\nb" is not a Region') // '--regions: "a\\nb" is not a Region'
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
