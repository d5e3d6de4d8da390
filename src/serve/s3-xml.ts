/** The XML S3 answers with: escaping, timestamps, and its error body. */

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Escapes text for an XML element. */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<name>text</name>`, escaped. */
export function el(name: string, value: string | number | boolean): string {
  return `<${name}>${xmlText(String(value))}</${name}>`;
}

/** S3's timestamps in listings: ISO 8601 with milliseconds. */
export function s3Time(ms: number): string {
  return new Date(ms).toISOString();
}

/** The document S3 sends with an error. */
export function errorXml(
  code: string,
  message: string,
  details: Record<string, string>,
  requestId: string,
): string {
  const extra = Object.entries(details)
    .map(([k, v]) => el(k, v))
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error>${el('Code', code)}${el('Message', message)}${extra}${el('RequestId', requestId)}</Error>`
  );
}
