import { describe, expect, it } from 'vitest';
import { checkRepeatedFlags, yargsUsageError } from '../../src/cli/argv.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from './cli.js';

// Bugs the property test (input.property.test.ts) found, each held here by a plain example.
describe('bad input found by the property test', () => {
  it('a flag given twice is refused by name, unless it takes a list', async () => {
    expect(() => checkRepeatedFlags({ _: [], start: ['a', 'b'] }, [])).toThrow(
      '--start: given more than once ("a", "b")',
    );
    expect(checkRepeatedFlags({ _: [], templates: ['a', 'b'] }, ['templates'])).toBe(true);
    const r = await runCli(['generate', '--out', 'x', '--out', 'y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('trailsim: --out: given more than once ("x", "y")\n');
  });

  it('a bad choice is one line that names the flag', () => {
    expect(
      yargsUsageError(
        'Invalid values:\n  Argument: format, Given: "json", Choices: "cloudtrail", "eventbridge"',
      ).message,
    ).toBe('--format: "json" is not one of "cloudtrail", "eventbridge"');
  });

  it('a value with a newline or a control character stays on one line', () => {
    expect(new UsageError('--regions', '"a\nb\u0000" is not a Region').message).toBe(
      '--regions: "a\\nb\\u0000" is not a Region',
    );
  });
});
