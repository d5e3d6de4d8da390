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
 * gives the code that apply at the event time and whose placeholders all have values (drawn only
 * when more than one does). AccessDenied names the caller, the action and the resource, like IAM.
 */
export function errorMessage(service: Service, code: string, args: ErrorTextArgs, rng: Rng): string {
  const texts = service.errorTexts.get(code);
  if (!texts) return `${code}: the request failed`;
  const requestId = firstIdLike(args.request);
  const applies = (t: CompiledText): boolean =>
    args.eventTime >= t.since && args.eventTime < t.until && (requestId !== null || !t.usesRequestId);
  let choices = texts.filter((t) => !t.fallback && applies(t));
  if (choices.length === 0) choices = texts.filter((t) => t.fallback && applies(t));
  if (choices.length === 0) return `${code}: the request failed`;
  const text = choices.length === 1 ? choices[0]! : rng.pick(choices);
  const values: Record<Placeholder, string> = {
    callerArn: args.callerArn,
    service: args.service,
    action: args.action,
    resource: args.resource,
    member: firstMember(args.request),
    requestId: requestId ?? '',
  };
  let out = '';
  for (let i = 0; i < text.parts.length; i++)
    out += i % 2 === 0 ? text.parts[i] : values[text.parts[i] as Placeholder];
  return out;
}
