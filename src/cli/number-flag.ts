import { UsageError } from '../shared/errors.js';

/** A decimal number as people type it: digits, an optional fraction and exponent (1e6). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A yargs `coerce` for a number flag. yargs' own number parsing takes `0x10` as 16 and an empty
 * value (`--events "$UNSET"`) as 0, so the flag is read as text and only a decimal number passes;
 * anything else is named as it was typed.
 *
 * @example
 * .option('events', { type: 'string', requiresArg: true, coerce: decimalFlag('--events') })
 * // --events 0x10 → '--events: "0x10" is not a decimal number'
 */
export function decimalFlag(flag: string): (value: unknown) => number {
  return (value) => {
    if (typeof value === 'number') return value;
    // As checkRepeatedFlags says it for other flags (coerce runs before that check).
    if (Array.isArray(value)) throw new UsageError(flag, `given more than once (${value.join(', ')})`);
    const text = String(value);
    if (text.trim() === '') throw new UsageError(flag, 'is empty; give a number (an unset shell variable?)');
    if (!DECIMAL.test(text.trim())) throw new UsageError(flag, `"${text}" is not a decimal number`);
    return Number(text);
  };
}
