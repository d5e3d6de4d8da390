import type { Rng } from '../shared/rng.js';
import type { RenderContext } from './context.js';

/**
 * The compiled form of a template's value nodes: each node is compiled once, at load time, into a
 * closure (`Gen`) that produces the value of one event (see generators.ts for the compiler).
 */
/** Per-event memo of world lookups: getter name → value. One map per event, shared by every ref. */
export type EventRefs = Map<string, unknown>;

/** What a compiled generator reads while it renders one event. */
export interface RenderState {
  readonly ctx: RenderContext;
  readonly rng: Rng;
  readonly refs: EventRefs;
}

/** A compiled value node. */
export type Gen = (s: RenderState) => unknown;

/** A compiled node: a constant (computed once, shared) or a generator. */
export type Compiled =
  { readonly constant: true; readonly value: unknown } | { readonly constant: false; readonly gen: Gen };

/** A problem in a template node, with the JSON pointer of the offending part. */
export class NodeError extends Error {
  readonly jsonPath: string;
  constructor(jsonPath: string, message: string) {
    super(message);
    this.jsonPath = jsonPath;
  }
}

export const ptr = (base: string, key: string | number): string =>
  `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const constant = (value: unknown): Compiled => ({ constant: true, value });
export const generated = (gen: Gen): Compiled => ({ constant: false, gen });

/** A generator view of a compiled node (constants become a closure returning the shared value). */
export function asGen(c: Compiled): Gen {
  if (c.constant) {
    const v = c.value;
    return () => v;
  }
  return c.gen;
}
