/** The blocks of README.md and docs/ that come from a run. */
export const BLOCKS: { file: string; name: string }[];
/** The text between a block's markers, or undefined when they are missing. */
export function blockIn(text: string, name: string): string | undefined;
/** Every block as the built trailsim produces it now: file → block name → text. */
export function produceFigures(): Promise<Record<string, Record<string, string>>>;
