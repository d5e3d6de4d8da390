import type { ErrorObject } from 'ajv';

/**
 * The first problem a generated (standalone) validator found, as a JSON path and a message for
 * people: `/requires/0` and `unknown key "x"`.
 */
export function describeAjvError(e: ErrorObject): { path: string; message: string } {
  const at = e.instancePath || '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: `${at}/${String(p.additionalProperty)}`,
        message: `unknown key "${String(p.additionalProperty)}"`,
      };
    case 'required':
      return { path: at || '/', message: `missing required key "${String(p.missingProperty)}"` };
    case 'enum':
      return { path: at, message: `must be one of ${JSON.stringify(p.allowedValues)}` };
    case 'propertyNames':
      return { path: at, message: `bad key "${String(p.propertyName)}"` };
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}
