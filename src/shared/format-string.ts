/**
 * Compiles a format string with `{name}` placeholders into a function of a context: each
 * placeholder is resolved once, at compile time, to a getter; `{{` and `}}` stand for literal
 * braces. A string without placeholders compiles to a constant.
 *
 * @example compileFormatString('arn:{region}', (n) => (c: { region: string }) => c.region, fail)
 */
export function compileFormatString<C>(
  format: string,
  resolve: (name: string) => (c: C) => unknown,
  fail: (problem: string) => never,
): (c: C) => string {
  const parts: (string | ((c: C) => unknown))[] = [];
  let lit = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if ((ch === '{' || ch === '}') && format[i + 1] === ch) {
      lit += ch;
      i++;
    } else if (ch === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) fail(`unclosed "{" in format "${format}"`);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(resolve(format.slice(i + 1, end)));
      i = end;
    } else if (ch === '}') {
      fail(`unmatched "}" in format "${format}"`);
    } else {
      lit += ch;
    }
  }
  if (lit) parts.push(lit);
  if (parts.every((p) => typeof p === 'string')) {
    const text = parts.join('');
    return () => text;
  }
  return (c) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : String(p(c));
    return out;
  };
}
