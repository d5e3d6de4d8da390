import { isoSeconds } from '../shared/time.js';
import { ApiError } from './api-error.js';
import { lookupEvents, parseLookupRequest } from './lookup-events.js';
import type { RecordCache } from './record-cache.js';
import type { ServedTrail } from './trail-facts.js';
import type { TreeSnapshot } from './tree-index.js';

/**
 * The operation a CloudTrail call names in `X-Amz-Target`, or undefined for another service's
 * request. botocore sends `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`,
 * the Smithy-built SDKs (JavaScript v3) `CloudTrail_20131101.<Operation>`.
 */
export function cloudTrailOperation(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  const m = /(?:^|\.)CloudTrail_20131101\.([A-Za-z]*)$/.exec(target);
  return m ? m[1] : undefined;
}

/** What a CloudTrail call needs besides its body. */
export interface CloudTrailContext {
  snap: TreeSnapshot;
  cache: RecordCache;
  /** The Region the request is signed for. */
  region: string;
  /** The account `serve --account` names, or undefined for every account of the tree. */
  accountId: string | undefined;
}

const accountOfArn = (arn: string): string => arn.split(':')[4] ?? '';

/** The trails a caller sees in a Region: those created there and multi-Region ones (shadow trails). */
function visibleTrails(c: CloudTrailContext, shadows = true, anyRegion = false): ServedTrail[] {
  return c.snap.facts.trails.filter(
    (t) =>
      (c.accountId === undefined || t.IsOrganizationTrail || accountOfArn(t.TrailARN) === c.accountId) &&
      (anyRegion || t.HomeRegion === c.region || (shadows && t.IsMultiRegionTrail)),
  );
}

/** The trail a `Name` member names (its name or ARN), or CloudTrail's TrailNotFoundException. */
function findTrail(c: CloudTrailContext, name: unknown): ServedTrail {
  if (typeof name !== 'string' || name === '')
    throw new ApiError(
      'InvalidTrailNameException',
      'Trail name or ARN can only contain ASCII letters, numbers, periods, underscores, and dashes, and must not be empty.',
    );
  const found = visibleTrails(c).find((t) => t.Name === name || t.TrailARN === name);
  if (found) return found;
  const user = c.accountId ?? accountOfArn(c.snap.facts.trails[0]?.TrailARN ?? '');
  throw new ApiError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${user}`);
}

/** Epoch seconds, as the JSON protocol carries timestamps. */
const seconds = (ms: number): number => Math.floor(ms / 1000);

/** A trail's status from its files: logging since its first delivery, last delivery times. */
function trailStatus(c: CloudTrailContext, trail: ServedTrail): Record<string, unknown> {
  const account = accountOfArn(trail.TrailARN);
  let first = Infinity;
  let lastLog = -Infinity;
  let lastDigest = -Infinity;
  for (const o of c.snap.objects.values()) {
    if (o.log && (trail.IsOrganizationTrail || o.log.accountId === account)) {
      first = Math.min(first, o.lastModified);
      lastLog = Math.max(lastLog, o.lastModified);
    }
    if (o.digest && o.digest.trailName === trail.Name) lastDigest = Math.max(lastDigest, o.lastModified);
  }
  const status: Record<string, unknown> = { IsLogging: true };
  if (Number.isFinite(lastLog)) {
    Object.assign(status, {
      LatestDeliveryTime: seconds(lastLog),
      StartLoggingTime: seconds(first),
      LatestDeliveryAttemptTime: isoSeconds(lastLog),
      LatestDeliveryAttemptSucceeded: isoSeconds(lastLog),
      TimeLoggingStarted: isoSeconds(first),
    });
  }
  if (Number.isFinite(lastDigest)) status.LatestDigestDeliveryTime = seconds(lastDigest);
  return status;
}

/** ListPublicKeys: the tree's keys whose validity overlaps the range asked for. */
function listPublicKeys(c: CloudTrailContext, body: Record<string, unknown>): unknown {
  const num = (v: unknown, member: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    const s = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) / 1000 : NaN;
    if (!Number.isFinite(s))
      throw new ApiError('InvalidTimeRangeException', `${member} is not a valid timestamp.`);
    return s;
  };
  const start = num(body.StartTime, 'StartTime') ?? -Infinity;
  const end = num(body.EndTime, 'EndTime') ?? Infinity;
  if (start > end) throw new ApiError('InvalidTimeRangeException', 'Start time must not be after end time.');
  const keys = c.snap.facts.publicKeys?.PublicKeyList ?? [];
  return {
    PublicKeyList: keys.filter((k) => k.ValidityEndTime >= start && k.ValidityStartTime <= end),
  };
}

/**
 * Answers one CloudTrail call: `operation` is the part of `X-Amz-Target` after the service's
 * prefix. Errors are ApiErrors with the service's exception names.
 */
export function callCloudTrail(
  operation: string,
  body: Record<string, unknown>,
  c: CloudTrailContext,
): unknown {
  switch (operation) {
    case 'LookupEvents':
      return lookupEvents(parseLookupRequest(body, c.region, c.accountId), c.snap, c.cache);
    case 'DescribeTrails': {
      const names = body.trailNameList;
      let trails = visibleTrails(c, body.includeShadowTrails !== false);
      if (Array.isArray(names) && names.length > 0)
        trails = trails.filter((t) => names.includes(t.Name) || names.includes(t.TrailARN));
      return { trailList: trails };
    }
    case 'GetTrail':
      return { Trail: findTrail(c, body.Name) };
    case 'ListTrails':
      // Every trail of the account, whatever its home Region.
      return {
        Trails: visibleTrails(c, true, true).map((t) => ({
          TrailARN: t.TrailARN,
          Name: t.Name,
          HomeRegion: t.HomeRegion,
        })),
      };
    case 'GetTrailStatus':
      return trailStatus(c, findTrail(c, body.Name));
    case 'ListPublicKeys':
      return listPublicKeys(c, body);
    default:
      throw new ApiError(
        'UnknownOperationException',
        `trailsim serve does not answer CloudTrail's ${operation || '(no operation)'}: it answers LookupEvents, DescribeTrails, GetTrail, ListTrails, GetTrailStatus and ListPublicKeys.`,
      );
  }
}
