/** Small helpers that write escaped HTML. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** @example escapeHtml('<a & b>') // '&lt;a &amp; b&gt;' */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A cell: text (escaped), or a number (right-aligned), or `{ html }` written as it is. */
export type Cell = string | { n: string } | { html: string };

/**
 * A table with a header row; `name` becomes its `data-table` attribute, which the browser test
 * reads the figures back by.
 *
 * @example table('ops', ['Operation', { n: 'Calls' }], [['ListInsights', { n: '612' }]])
 */
export function table(name: string, head: Cell[], rows: Cell[][]): string {
  const cell = (tag: 'th' | 'td', c: Cell): string => {
    if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
    if ('n' in c) return `<${tag} class="n">${escapeHtml(c.n)}</${tag}>`;
    return `<${tag}>${c.html}</${tag}>`;
  };
  const body = rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table data-table="${escapeHtml(name)}"><thead><tr>${head
    .map((c) => cell('th', c))
    .join('')}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A chart's place: the page script draws the chart `name` into it at the given height. */
export function chart(name: string, height: number): string {
  return `<div class="chart" data-chart="${escapeHtml(name)}" style="height:${Math.round(height)}px"></div>`;
}

/**
 * JSON for a `<script type="application/json">` element: `<` is escaped so that no string in the
 * data can end the element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
