/**
 * What LookupEvents says about a record: the event fields it returns next to `CloudTrailEvent`,
 * and the values a record has for each lookup attribute.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html
 */

/** The attribute keys LookupEvents filters on, as its API model lists them. */
export const LOOKUP_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

export type LookupKey = (typeof LOOKUP_KEYS)[number];

export function isLookupKey(key: string): key is LookupKey {
  return (LOOKUP_KEYS as readonly string[]).includes(key);
}

/** A CloudTrail record as parsed from a log file; only the fields read here are typed. */
export interface RecordFields {
  eventID?: string;
  eventName?: string;
  eventSource?: string;
  eventTime?: string;
  readOnly?: boolean;
  userIdentity?: {
    type?: string;
    userName?: string;
    arn?: string;
    accessKeyId?: string;
    invokedBy?: string;
  };
  resources?: { ARN?: string; type?: string }[];
}

export interface LookupResource {
  ResourceType?: string;
  ResourceName?: string;
}

/** One entry of LookupEvents' `Events`, as the API's JSON carries it (times in epoch seconds). */
export interface LookupEvent {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: number;
  EventSource?: string;
  Username?: string;
  Resources: LookupResource[];
  CloudTrailEvent: string;
}

/**
 * The user name LookupEvents shows: an IAM user's name; for an assumed role or federated user the
 * session name, the last part of the ARN (AWS CLI documentation's lookup-events example shows
 * `my-session-name`); `root` for the root user; for an AWS service, the service principal.
 */
export function usernameOf(r: RecordFields): string | undefined {
  const id = r.userIdentity;
  if (!id) return undefined;
  if (id.userName) return id.userName;
  if (id.type === 'Root') return 'root';
  if (id.arn) return id.arn.slice(id.arn.lastIndexOf('/') + 1) || undefined;
  return id.invokedBy;
}

/** The resources a record names, as LookupEvents lists them: type and ARN from `resources`. */
export function resourcesOf(r: RecordFields): LookupResource[] {
  return (r.resources ?? []).map((res) => ({ ResourceType: res.type, ResourceName: res.ARN }));
}

/**
 * Every value a record has for a lookup attribute (several for resources, none when the record
 * lacks the field).
 *
 * @example
 * attributeValues({ eventName: 'ListInsights' }, 'EventName'); // ['ListInsights']
 */
export function attributeValues(r: RecordFields, key: LookupKey): string[] {
  const one = (v: string | undefined): string[] => (v ? [v] : []);
  switch (key) {
    case 'EventId':
      return one(r.eventID);
    case 'EventName':
      return one(r.eventName);
    case 'EventSource':
      return one(r.eventSource);
    case 'ReadOnly':
      return r.readOnly === undefined ? [] : [String(r.readOnly)];
    case 'Username':
      return one(usernameOf(r));
    case 'AccessKeyId':
      return one(r.userIdentity?.accessKeyId);
    case 'ResourceType':
      return (r.resources ?? []).flatMap((res) => one(res.type));
    case 'ResourceName':
      return (r.resources ?? []).flatMap((res) => one(res.ARN));
  }
}

/** The LookupEvents entry of a record; `json` is the record's own JSON text. */
export function lookupEventOf(r: RecordFields, json: string): LookupEvent {
  const event: LookupEvent = {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: r.readOnly === undefined ? undefined : String(r.readOnly),
    AccessKeyId: r.userIdentity?.accessKeyId || undefined,
    EventTime: r.eventTime ? Date.parse(r.eventTime) / 1000 : undefined,
    EventSource: r.eventSource,
    Username: usernameOf(r),
    Resources: resourcesOf(r),
    CloudTrailEvent: json,
  };
  for (const k of Object.keys(event) as (keyof LookupEvent)[]) if (event[k] === undefined) delete event[k];
  return event;
}
