import type { PathKind } from './context-paths.js';

/** A context path a template reads, where, and what it needs the value to be. */
export interface PathUse {
  readonly path: string;
  /** JSON pointer of the node that names it. */
  readonly where: string;
  /** `list` for `$sample`, `string` for a format placeholder, `value` for `$ref`. */
  readonly want: PathKind;
}

const ptr = (base: string, key: string | number): string =>
  `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function formatPaths(format: string, where: string, out: PathUse[]): void {
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if ((c === '{' || c === '}') && format[i + 1] === c) i++;
    else if (c === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) return;
      out.push({ path: format.slice(i + 1, end), where, want: 'string' });
      i = end;
    }
  }
}

function walk(node: unknown, where: string, out: PathUse[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, ptr(where, i), out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    const at = ptr(where, k);
    if (k === '$ref' && typeof v === 'string') out.push({ path: v, where: at, want: 'value' });
    else if (k === '$sample' && typeof v === 'string') out.push({ path: v, where: at, want: 'list' });
    else if (k === '$format' && typeof v === 'string') formatPaths(v, at, out);
    else walk(v, at, out);
  }
}

/**
 * Every context path a parsed template reads (request, response, lifecycle nodes and its resource
 * format), so that entity paths can be checked against the service's entities at load.
 */
export function templatePaths(t: Readonly<Record<string, unknown>>): PathUse[] {
  const out: PathUse[] = [];
  for (const key of ['requestParameters', 'responseElements', 'lifecycle'])
    if (key in t) walk(t[key], `/${key}`, out);
  if (typeof t.resource === 'string') formatPaths(t.resource, '/resource', out);
  return out;
}
