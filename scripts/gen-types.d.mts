/**
 * Generates the type modules for every top-level `schemas/*.schema.json`, plus `index.ts`.
 * @returns absolute path of each file under `src/generated/` → its content
 */
export function generateTypes(): Promise<Map<string, string>>;
