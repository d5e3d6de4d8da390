import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../shared/rng.js';
import { UsageError } from '../shared/errors.js';

/**
 * The part of a request schema (schemas/<service>/requests/<Operation>.schema.json, derived from
 * the API model by scripts/gen-request-schemas.mjs) that says what a valid request is.
 */
export interface RequestSchema {
  type?: string;
  properties?: Record<string, RequestSchema>;
  required?: string[];
  items?: RequestSchema;
  enum?: (string | number)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** The constraint an invalid value breaks, named as the service description's texts name it. */
export type Constraint =
  'pattern' | 'enum' | 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'minItems' | 'maxItems';

/** A request made invalid: what it carries and what a ValidationException says of it. */
export interface InvalidRequest {
  request: Record<string, unknown>;
  /** Where the invalid value is, as the service's message names it: `statusFilter.ongoing.type`. */
  member: string;
  /** The value as the message quotes it. */
  value: string;
  constraint: Constraint;
  /** The rule the value breaks, as the message states it: a pattern, an enum set, a bound. */
  rule: string;
}

/** A value longer than this is never drawn (a request of kilobytes is not a mistake people make). */
const LONGEST = 256;
const MOST_ITEMS = 20;

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** The message's rendering of a value: Java's toString of the deserialised member. */
function quote(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(quote).join(', ')}]` : String(v);
}

/** The constraints of `s` that `v` breaks (its own, not those of its members). */
function broken(s: RequestSchema, v: unknown, pattern: RegExp | null): Constraint[] {
  const out: Constraint[] = [];
  if (typeof v === 'string') {
    if (s.enum && !s.enum.includes(v)) out.push('enum');
    if (pattern && !pattern.test(v)) out.push('pattern');
    const n = [...v].length;
    if (s.minLength !== undefined && n < s.minLength) out.push('minLength');
    if (s.maxLength !== undefined && n > s.maxLength) out.push('maxLength');
  } else if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) out.push('minimum');
    if (s.maximum !== undefined && v > s.maximum) out.push('maximum');
  } else if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push('minItems');
    if (s.maxItems !== undefined && v.length > s.maxItems) out.push('maxItems');
  }
  return out;
}

/** Values a person or a script plausibly sends in place of `v`, each meant to break `c`. */
function mistakes(s: RequestSchema, v: unknown, c: Constraint): unknown[] {
  switch (c) {
    case 'enum': {
      const text = typeof v === 'string' ? v : String(s.enum?.[0] ?? '');
      return [
        text.toLowerCase(),
        text.replace(/_/g, '-'),
        `${text}S`,
        text.charAt(0) + text.slice(1).toLowerCase(),
      ];
    }
    case 'pattern': {
      const text = String(v);
      return [
        `${text} `,
        text.toUpperCase(),
        text.replace(/-/g, '_'),
        `${text}/`,
        ` ${text}`,
        text.replace(/[0-9]/, 'O'),
        `"${text}"`,
      ];
    }
    case 'minLength':
      return [''];
    case 'maxLength': {
      const text = String(v);
      if (!text) return [];
      let long = text;
      while ([...long].length <= s.maxLength!) long += text;
      return [long];
    }
    case 'minimum':
      return [s.minimum! - 1, 0, -1];
    case 'maximum':
      return [s.maximum! + 1, s.maximum! * 2, 500, 1000, 10000].filter((n) => n > s.maximum!);
    case 'minItems':
      return [[]];
    case 'maxItems': {
      const list = Array.isArray(v) ? v : [];
      if (list.length === 0) return [];
      const long = [...list];
      while (long.length <= s.maxItems!) long.push(list[long.length % list.length]);
      return [long];
    }
  }
}

/** The constraints `s` has that a value of its kind can break within sane sizes. */
function constraintsOf(s: RequestSchema): Constraint[] {
  const out: Constraint[] = [];
  if (s.enum) out.push('enum');
  if (s.pattern) out.push('pattern');
  if (s.minLength !== undefined && s.minLength > 0) out.push('minLength');
  if (s.maxLength !== undefined && s.maxLength < LONGEST) out.push('maxLength');
  if (s.minimum !== undefined) out.push('minimum');
  if (s.maximum !== undefined) out.push('maximum');
  if (s.minItems !== undefined && s.minItems > 0) out.push('minItems');
  if (s.maxItems !== undefined && s.maxItems < MOST_ITEMS) out.push('maxItems');
  return out;
}

/** A place in the request where an invalid value can go. */
interface Slot {
  schema: RequestSchema;
  member: string;
  /** The value there now (undefined for a member the request leaves out). */
  value: unknown;
  set: (v: unknown) => void;
}

/** An optional member a caller may add with a wrong value: a number out of range, an enum typo. */
function addable(s: RequestSchema): boolean {
  return (
    (s.type === 'integer' || s.type === 'number' || (s.type === 'string' && !!s.enum)) &&
    constraintsOf(s).length > 0
  );
}

function slotsOf(schema: RequestSchema, obj: Record<string, unknown>, path: string, out: Slot[]): void {
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const member = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
    const value = obj[name];
    const set = (v: unknown): void => {
      obj[name] = v;
    };
    if (value === undefined) {
      if (addable(sub)) out.push({ schema: sub, member, value, set });
      continue;
    }
    valueSlots(sub, value, member, set, out);
  }
}

function valueSlots(
  s: RequestSchema,
  value: unknown,
  member: string,
  set: (v: unknown) => void,
  out: Slot[],
): void {
  if (s.type === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    slotsOf(s, value as Record<string, unknown>, member, out);
    return;
  }
  if (constraintsOf(s).length > 0) out.push({ schema: s, member, value, set });
  if (s.type === 'array' && Array.isArray(value) && s.items)
    value.forEach((item, i) =>
      valueSlots(s.items!, item, `${member}.${i + 1}.member`, (v) => (value[i] = v), out),
    );
}

/** Whether every request of the operation has a member that can be made invalid. */
function alwaysInvalidable(schema: RequestSchema): boolean {
  const required = new Set(schema.required ?? []);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    if (addable(sub)) return true;
    if (!required.has(name)) continue;
    if (sub.type === 'object' ? alwaysInvalidable(sub) : constraintsOf(sub).length > 0) return true;
  }
  return false;
}

/** An operation's request schema, compiled once. */
class RequestRules {
  private readonly patterns = new Map<string, RegExp>();
  readonly invalidable: boolean;

  constructor(private readonly schema: RequestSchema) {
    this.invalidable = alwaysInvalidable(schema);
  }

  private patternOf(s: RequestSchema): RegExp | null {
    if (!s.pattern) return null;
    let re = this.patterns.get(s.pattern);
    if (!re) this.patterns.set(s.pattern, (re = new RegExp(s.pattern, 'u')));
    return re;
  }

  /**
   * Breaks one constraint of a request: a member it carries (or an optional one it adds) gets a
   * value that breaks exactly that constraint and no other, so the message has one error, like
   * the service's. Undefined when no member can be broken.
   */
  invalidate(request: Record<string, unknown> | null, rng: Rng): InvalidRequest | undefined {
    // Rendered requests may share constant subtrees with other calls: break a copy.
    const copy = request ? (structuredClone(request) as Record<string, unknown>) : {};
    const slots: Slot[] = [];
    slotsOf(this.schema, copy, '', slots);
    rng.shuffle(slots);
    for (const slot of slots) {
      const s = slot.schema;
      for (const c of rng.shuffle(constraintsOf(s))) {
        const pattern = this.patternOf(s);
        for (const v of mistakes(s, slot.value, c)) {
          const b = broken(s, v, pattern);
          if (b.length !== 1 || b[0] !== c) continue;
          slot.set(v);
          return { request: copy, member: slot.member, value: quote(v), constraint: c, rule: ruleOf(s, c) };
        }
      }
    }
    return undefined;
  }
}

/** The rule as the message states it. */
function ruleOf(s: RequestSchema, c: Constraint): string {
  switch (c) {
    case 'pattern':
      return s.pattern!;
    case 'enum':
      return `[${(s.enum ?? []).join(', ')}]`;
    default:
      return String(s[c]);
  }
}

/**
 * The request schemas of a service's operations, read once from the folder its description names
 * (`requestSchemas`): which operations can be sent an invalid request, and how to make one.
 */
export class InvalidRequests {
  private readonly rules = new Map<string, RequestRules>();

  /** `operations`: eventSource and eventName of each template, with the folder of its service. */
  constructor(operations: readonly { eventSource: string; eventName: string; dir: string | null }[]) {
    for (const { eventSource, eventName, dir } of operations) {
      if (!dir) continue;
      const file = join(dir, `${eventName}.schema.json`);
      if (!existsSync(file)) continue;
      let schema: RequestSchema;
      try {
        schema = JSON.parse(readFileSync(file, 'utf8')) as RequestSchema;
      } catch (err) {
        throw new UsageError(file, `not a JSON request schema: ${(err as Error).message}`);
      }
      this.rules.set(`${eventSource} ${eventName}`, new RequestRules(schema));
    }
  }

  /** Whether every request of the operation can be made invalid (it takes input with constraints). */
  invalidable(eventSource: string, eventName: string): boolean {
    return this.rules.get(`${eventSource} ${eventName}`)?.invalidable ?? false;
  }

  /** The request, with one constraint broken (see `RequestRules.invalidate`). */
  invalidate(
    eventSource: string,
    eventName: string,
    request: Record<string, unknown> | null,
    rng: Rng,
  ): InvalidRequest | undefined {
    return this.rules.get(`${eventSource} ${eventName}`)?.invalidate(request, rng);
  }
}
