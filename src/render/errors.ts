import type { Rng } from '../shared/rng.js';
import type { CompiledText, Placeholder, Service } from '../world/service.js';

/** What an error text is filled with (see schemas/service.schema.json, errorText). */
export interface ErrorTextArgs {
  service: string;
  action: string;
  callerArn: string;
  resource: string;
  request: Record<string, unknown> | null;
  eventTime: number;
  /**
   * Why the call failed, when its code has more than one cause (a denial's policy, the constraint
   * an invalid value breaks): texts for that cause are used, else those for no cause.
   */
  cause?: string | undefined;
  /** For an invalid request: the member, value and rule the message quotes. */
  invalid?: { member: string; value: string; rule: string } | undefined;
}

function firstIdLike(request: Record<string, unknown> | null): string | null {
  if (!request) return null;
  for (const [k, v] of Object.entries(request)) {
    if (typeof v === 'string' && /Id$/.test(k)) return v;
  }
  return null;
}

function firstMember(request: Record<string, unknown> | null): string {
  const k = request ? Object.keys(request)[0] : undefined;
  return k ? k.charAt(0).toLowerCase() + k.slice(1) : 'body';
}

/**
 * The errorMessage of a failed call, in the service's words: one of the texts its description
 * gives the code (and the failure's cause) that apply at the event time and whose placeholders all
 * have values (drawn only when more than one does). AccessDenied names the caller, the action and
 * the resource, like IAM; a ValidationException quotes the invalid value and the rule it breaks.
 */
export function errorMessage(service: Service, code: string, args: ErrorTextArgs, rng: Rng): string {
  const texts = service.errorTexts.get(code);
  if (!texts) return `${code}: the request failed`;
  const requestId = firstIdLike(args.request);
  const applies = (t: CompiledText): boolean =>
    args.eventTime >= t.since && args.eventTime < t.until && (requestId !== null || !t.usesRequestId);
  const cause = args.cause ?? null;
  const forCause = cause !== null && texts.some((t) => t.cause === cause && applies(t));
  const ofCause = (t: CompiledText): boolean => t.cause === (forCause ? cause : null);
  let choices = texts.filter((t) => ofCause(t) && !t.fallback && applies(t));
  if (choices.length === 0) choices = texts.filter((t) => ofCause(t) && t.fallback && applies(t));
  if (choices.length === 0) return `${code}: the request failed`;
  const text = choices.length === 1 ? choices[0]! : rng.pick(choices);
  const values: Record<Placeholder, string> = {
    callerArn: args.callerArn,
    service: args.service,
    action: args.action,
    resource: args.resource,
    member: args.invalid?.member ?? firstMember(args.request),
    requestId: requestId ?? '',
    value: args.invalid?.value ?? '',
    rule: args.invalid?.rule ?? '',
  };
  let out = '';
  for (let i = 0; i < text.parts.length; i++)
    out += i % 2 === 0 ? text.parts[i] : values[text.parts[i] as Placeholder];
  return out;
}
