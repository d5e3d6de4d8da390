/**
 * Where CloudTrail puts things in the trail's bucket.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */

/** Where a trail writes: its bucket, key prefix and, for organization trails, the organization ID. */
export interface TrailLocation {
  bucket: string;
  /** Key prefix without leading or trailing slash; empty for none. */
  prefix: string;
  /** `o-…` for an organization trail, otherwise null. */
  organizationId: string | null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY/MM/DD` of a UTC instant (epoch ms). */
export function datePath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}`;
}

/** `YYYYMMDDTHHmmZ`: the delivery stamp of a log file name. */
export function minuteStamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}Z`
  );
}

/** `YYYYMMDDTHHmmssZ`: the end-time stamp of a digest file name. */
export function secondStamp(ms: number): string {
  const d = new Date(ms);
  return `${minuteStamp(ms).slice(0, -1)}${pad2(d.getUTCSeconds())}Z`;
}

/** `[prefix/]AWSLogs/[o-id/]<account>/` */
export function accountRoot(location: TrailLocation, accountId: string): string {
  const prefix = location.prefix ? `${location.prefix}/` : '';
  const org = location.organizationId ? `${location.organizationId}/` : '';
  return `${prefix}AWSLogs/${org}${accountId}/`;
}

/**
 * The key of a log file delivered at `deliveryMs`:
 * `…/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`.
 */
export function logFileKey(
  location: TrailLocation,
  accountId: string,
  region: string,
  deliveryMs: number,
  unique: string,
): string {
  return (
    `${accountRoot(location, accountId)}CloudTrail/${region}/${datePath(deliveryMs)}/` +
    `${accountId}_CloudTrail_${region}_${minuteStamp(deliveryMs)}_${unique}.json.gz`
  );
}

/**
 * The key of a digest file whose window ends at `endMs`:
 * `…/CloudTrail-Digest/<region>/YYYY/MM/DD/<account>_CloudTrail-Digest_<region>_<trail>_<home>_<YYYYMMDDTHHmmssZ>.json.gz`.
 */
export function digestFileKey(
  location: TrailLocation,
  accountId: string,
  region: string,
  trailName: string,
  homeRegion: string,
  endMs: number,
): string {
  return (
    `${accountRoot(location, accountId)}CloudTrail-Digest/${region}/${datePath(endMs)}/` +
    `${accountId}_CloudTrail-Digest_${region}_${trailName}_${homeRegion}_${secondStamp(endMs)}.json.gz`
  );
}
