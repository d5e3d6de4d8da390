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
    super(`${where}: ${message}`);
    this.where = where;
  }
}
