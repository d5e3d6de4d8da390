import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `schemas/` of the installed package: two levels above `src/schemas/`, `dist/schemas/` and the
 * bundle's `dist/bin/` alike. A leaf module, so that commands can name a schema file without
 * loading the validator.
 */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** The scenario schema shipped with trailsim, for editors (`trailsim init`) and the validator. */
export function scenarioSchemaPath(): string {
  return join(SCHEMAS_DIR, 'scenario.schema.json');
}
