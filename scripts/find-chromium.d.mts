/** The path of a Chromium executable ($CHROMIUM_PATH or a usual place), or undefined when none is installed. */
export function findChromium(): string | undefined;
