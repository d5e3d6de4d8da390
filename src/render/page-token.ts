/** The request members that ask a paginated operation for a page after the first, as APIs spell them. */
const PAGE_TOKENS = ['NextToken', 'nextToken'];

/** A template's request node with its page token taken out, and the token's own node. */
export interface PagedRequest {
  /** The request as a first page sends it (the token left out). */
  request: unknown;
  /** The token's member name, or undefined when the operation has none. */
  name: string | undefined;
  /** The node that draws the token of a following page. */
  token: unknown;
}

/**
 * Splits the page token off a template's requestParameters. A template that declares `NextToken`
 * makes a paginated operation: behaviour decides runs of pages (a first page without the token,
 * then pages carrying it with the first page's other parameters), so the token is never drawn on
 * its own. A token written as `$optional` stands for its inner node: whether it is present is the
 * page's to say, not a coin's.
 */
export function splitPageToken(node: unknown): PagedRequest {
  const name =
    node !== null && typeof node === 'object' && !Array.isArray(node)
      ? PAGE_TOKENS.find((n) => n in node)
      : undefined;
  if (name === undefined) return { request: node, name, token: undefined };
  const { [name]: token, ...request } = node as Record<string, unknown>;
  const inner =
    token !== null && typeof token === 'object' && '$optional' in token
      ? (token as { $optional: unknown }).$optional
      : token;
  return { request, name, token: inner };
}
