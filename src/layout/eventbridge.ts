import type { Rng } from '../shared/rng.js';
import { isoSeconds } from '../shared/time.js';

/** What EventBridge puts on the default bus for an API call CloudTrail recorded. */
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * The EventBridge `source` of a service's events: `aws.` and the service prefix
 * (`devops-guru.amazonaws.com` → `aws.devops-guru`).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export function eventBridgeSource(eventSource: string): string {
  return `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`;
}

const EVENT_SOURCE = '"eventSource":"';

/** The top-level eventSource of a record's JSON text. */
function eventSourceOf(recordJson: string): string {
  // userIdentity, the only object before eventSource in CloudTrail's key order, never holds one,
  // so the first occurrence is the record's own; parse only if the text is unusual.
  const i = recordJson.indexOf(EVENT_SOURCE);
  if (i >= 0) {
    const start = i + EVENT_SOURCE.length;
    return recordJson.slice(start, recordJson.indexOf('"', start));
  }
  return String((JSON.parse(recordJson) as { eventSource?: unknown }).eventSource);
}

/**
 * Wraps a CloudTrail record in the envelope rules and targets receive from EventBridge: `version`
 * "0", a UUID `id` (from the seeded `rng`), `detail-type`, `source`, `account`, `time`, `region`,
 * `resources` (empty for API calls) and the record as `detail`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 *
 * @example
 * toEventBridge(record.json, { account: '111122223333', region: 'us-east-1', time: record.time }, rng);
 * // '{"version":"0","id":"…","detail-type":"AWS API Call via CloudTrail","source":"aws.devops-guru",…}'
 */
export function toEventBridge(
  recordJson: string,
  where: { account: string; region: string; time: number },
  rng: Rng,
): string {
  return (
    `{"version":"0","id":"${rng.uuid()}","detail-type":"${API_CALL_DETAIL_TYPE}",` +
    `"source":${JSON.stringify(eventBridgeSource(eventSourceOf(recordJson)))},` +
    `"account":"${where.account}","time":"${isoSeconds(where.time)}","region":"${where.region}",` +
    `"resources":[],"detail":${recordJson}}`
  );
}

/**
 * The states of an EventBridge rule as they bear on CloudTrail events: a rule that is `ENABLED`
 * receives the calls that change something; only one in `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`
 * also receives read-only ones (Get, List, Describe).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 */
export const EVENTBRIDGE_RULE_STATES = ['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
export type EventBridgeRuleState = (typeof EVENTBRIDGE_RULE_STATES)[number];

const READ_ONLY = '"readOnly":true';

/** Whether a record's JSON text is a read-only call (CloudTrail writes `readOnly` as a boolean). */
export function isReadOnlyRecord(recordJson: string): boolean {
  return recordJson.includes(READ_ONLY);
}
