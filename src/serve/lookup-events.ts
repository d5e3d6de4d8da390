import { createHash } from 'node:crypto';
import { ApiError } from './api-error.js';
import { mayHold, type LogRecord } from './log-summary.js';
import {
  attributeValues,
  isLookupKey,
  LOOKUP_KEYS,
  lookupEventOf,
  type LookupEvent,
  type LookupKey,
} from './lookup-fields.js';
import type { RecordCache } from './record-cache.js';
import type { TreeObject, TreeSnapshot } from './tree-index.js';

/**
 * CloudTrail's LookupEvents over the index: the events of one Region (the one the request is
 * signed for), newest first, filtered by at most one attribute and a time range, in pages of up
 * to 50 with a NextToken.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 *
 * Unlike the service, it does not limit lookups to the last 90 days: a generated tree's events
 * may lie anywhere in time.
 */
/** A place in the order of events: eventTime (epoch ms) and event ID. */
type Position = Pick<LogRecord, 'time' | 'id'>;

export interface LookupQuery {
  region: string;
  /** Only this account's events (the `--account` of serve), or every account's. */
  accountId: string | undefined;
  attribute: { key: LookupKey; value: string } | undefined;
  /** Epoch ms, inclusive. */
  start: number;
  end: number;
  maxResults: number;
  /** Events strictly after this position in the order (older, or same time and lower ID). */
  after: Position | undefined;
  /** `insight` asks for Insights events only. */
  category: string | undefined;
  /** What identifies the query apart from its page: a NextToken is good only for the same one. */
  queryId: string;
}

const MAX_RESULTS = 50;

/** A timestamp of the JSON protocol: epoch seconds, or a string the SDKs may send instead. */
function timeOf(v: unknown, member: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms))
    throw new ApiError('InvalidTimeRangeException', `${member} is not a valid timestamp.`);
  return ms;
}

function encodeToken(queryId: string, last: LogRecord): string {
  return Buffer.from(JSON.stringify([queryId, last.time, last.id])).toString('base64url');
}

function decodeToken(token: unknown, queryId: string): LookupQuery['after'] {
  const invalid = new ApiError('InvalidNextTokenException', 'Invalid NextToken.');
  if (typeof token !== 'string') throw invalid;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (
    !Array.isArray(parts) ||
    parts[0] !== queryId ||
    typeof parts[1] !== 'number' ||
    typeof parts[2] !== 'string'
  )
    throw invalid;
  return { time: parts[1], id: parts[2] };
}

/** Reads and checks a LookupEvents request body, in the service's own error shapes. */
export function parseLookupRequest(
  body: Record<string, unknown>,
  region: string,
  accountId: string | undefined,
): LookupQuery {
  const attrs = body.LookupAttributes ?? [];
  if (!Array.isArray(attrs))
    throw new ApiError('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
  if (attrs.length > 1)
    throw new ApiError(
      'InvalidLookupAttributesException',
      'You can specify only one lookup attribute; this request has ' + attrs.length + '.',
    );
  let attribute: LookupQuery['attribute'];
  const a = attrs[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | undefined;
  if (a) {
    const key = String(a.AttributeKey ?? '');
    if (!isLookupKey(key))
      throw new ApiError(
        'InvalidLookupAttributesException',
        `1 validation error detected: Value '${key}' at 'lookupAttributes.1.member.attributeKey' failed to ` +
          `satisfy constraint: Member must satisfy enum value set: [${LOOKUP_KEYS.join(', ')}]`,
      );
    const value = typeof a.AttributeValue === 'string' ? a.AttributeValue : '';
    if (value.length < 1 || value.length > 2000)
      throw new ApiError(
        'InvalidLookupAttributesException',
        `1 validation error detected: Value '${value}' at 'lookupAttributes.1.member.attributeValue' failed to ` +
          'satisfy constraint: Member must have length between 1 and 2000',
      );
    attribute = { key, value };
  }
  const start = timeOf(body.StartTime, 'StartTime') ?? -8.64e15;
  const end = timeOf(body.EndTime, 'EndTime') ?? 8.64e15;
  if (start > end) throw new ApiError('InvalidTimeRangeException', 'Start time must not be after end time.');
  const category = body.EventCategory;
  if (category !== undefined && category !== 'insight')
    throw new ApiError(
      'InvalidEventCategoryException',
      `'${String(category)}' is not a valid event category.`,
    );
  const max = body.MaxResults ?? MAX_RESULTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
    throw new ApiError('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`);
  const queryId = createHash('sha256')
    .update(JSON.stringify([region, accountId ?? null, attribute ?? null, start, end, category ?? null]))
    .digest('base64url')
    .slice(0, 16);
  const after = body.NextToken === undefined ? undefined : decodeToken(body.NextToken, queryId);
  return { region, accountId, attribute, start, end, maxResults: max, after, category, queryId };
}

/** Newest first; equal times by event ID, highest first, so every record has one place. */
function before(a: Position, b: Position): boolean {
  return a.time > b.time || (a.time === b.time && a.id > b.id);
}

/**
 * One page of events. Log files are visited newest first and read only when their time span and
 * attribute hashes say they may hold a match; the visit stops once no file left can hold an
 * event for the page.
 */
export function lookupEvents(
  q: LookupQuery,
  snap: TreeSnapshot,
  cache: RecordCache,
): { Events: LookupEvent[]; NextToken?: string } {
  // trailsim writes no Insights events.
  if (q.category === 'insight') return { Events: [] };
  const want = q.maxResults + 1;
  let page: LogRecord[] = [];
  const upper = q.after ? Math.min(q.end, q.after.time) : q.end;
  for (const log of snap.logsByRegion.get(q.region) ?? []) {
    const s = log.summary;
    if (page.length >= want && s.newest < page[page.length - 1]!.time) break;
    if (s.records === 0 || s.newest < q.start || s.oldest > upper) continue;
    if (q.accountId !== undefined && log.accountId !== q.accountId) continue;
    if (q.attribute && !mayHold(s, q.attribute.key, q.attribute.value)) continue;
    const object = snap.objects.get(log.key) as TreeObject;
    let added = false;
    for (const r of cache.get(object)) {
      if (r.time < q.start || r.time > q.end) continue;
      if (q.after && !before(q.after, r)) continue;
      if (q.attribute && !attributeValues(r.record, q.attribute.key).includes(q.attribute.value)) continue;
      page.push(r);
      added = true;
    }
    if (added) {
      page.sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
      if (page.length > want) page = page.slice(0, want);
    }
  }
  const more = page.length > q.maxResults;
  const shown = page.slice(0, q.maxResults);
  const out: { Events: LookupEvent[]; NextToken?: string } = {
    Events: shown.map((r) => lookupEventOf(r.record, JSON.stringify(r.record))),
  };
  if (more) out.NextToken = encodeToken(q.queryId, shown[shown.length - 1]!);
  return out;
}
