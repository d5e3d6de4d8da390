import type { Rng } from '../shared/rng.js';

/** When IAM began adding the "because no identity-based policy allows…" reason to denials. */
const EXPLAINED_DENIALS_FROM = Date.parse('2021-09-01T00:00:00Z');

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
 * The errorMessage of a failed call, in the wording AWS services use for each error.
 * AccessDenied names the caller, the action and the resource, like IAM's own denials.
 */
export function errorMessage(
  code: string,
  args: {
    service: string;
    action: string;
    callerArn: string;
    resource: string;
    request: Record<string, unknown> | null;
    eventTime: number;
  },
  rng: Rng,
): string {
  switch (code) {
    case 'AccessDeniedException': {
      const base = `User: ${args.callerArn} is not authorized to perform: ${args.service}:${args.action} on resource: ${args.resource}`;
      return args.eventTime >= EXPLAINED_DENIALS_FROM
        ? `${base} because no identity-based policy allows the ${args.service}:${args.action} action`
        : base;
    }
    case 'ValidationException': {
      const member = firstMember(args.request);
      return rng.pick([
        `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must satisfy its pattern and length constraints`,
        `Invalid parameter: ${member}`,
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
        'Cannot specify more than one status filter',
      ]);
    }
    case 'ResourceNotFoundException': {
      const id = firstIdLike(args.request);
      return id ? `Resource ${id} was not found` : 'The requested resource was not found';
    }
    case 'ConflictException':
      return rng.pick([
        'Another request is being processed for this resource. Try again later.',
        'The request conflicts with the current state of the resource.',
      ]);
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'ServiceQuotaExceededException':
      return rng.pick([
        'You have reached the maximum number of notification channels for this account and Region.',
        'The request exceeds a service quota for this account.',
      ]);
    case 'InternalServerException':
      return 'An internal error occurred. Try your request again.';
    default:
      return `${code}: the request failed`;
  }
}
