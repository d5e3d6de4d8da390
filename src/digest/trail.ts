import type { TrailLocation } from '../layout/keys.js';
import type { Scenario } from '../scenario/scenario.js';
import type { World } from '../world/world.js';

/** What the digest stage and the manifest need of a prepared run. */
export interface TrailRun {
  scenario: Scenario;
  world: World;
  location: TrailLocation;
}

/**
 * A trail's ARN: `arn:aws:cloudtrail:<home region>:<account>:trail/<name>`, the form
 * `aws cloudtrail validate-logs --trail-arn` takes.
 *
 * @example
 * trailArn('us-east-1', '111122223333', 'management-events');
 * // 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events'
 */
export function trailArn(homeRegion: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${homeRegion}:${accountId}:trail/${name}`;
}

/** The trail a run simulates, as the manifest records it. */
export interface TrailInfo {
  name: string;
  bucket: string;
  prefix: string;
  homeRegion: string;
  /** Set for an organization trail: keys carry it after `AWSLogs/`. */
  organizationId: string | null;
  /**
   * The trail's ARN. An organization trail belongs to the management account; otherwise each
   * account has a trail of this name and this is the first account's (see `accountTrails`).
   */
  arn: string;
  /** Each account's trail ARN (for an organization trail, the same one). */
  accountTrails: Record<string, string>;
}

/** Describes the trail of a prepared run. */
export function describeTrail(p: TrailRun): TrailInfo {
  const t = p.scenario.trail;
  const org = p.location.organizationId;
  const owner = org ? p.world.organization!.managementAccountId : p.world.accounts[0]!.id;
  const arn = trailArn(t.homeRegion, owner, t.name);
  const accountTrails: Record<string, string> = {};
  for (const a of p.world.accounts) accountTrails[a.id] = org ? arn : trailArn(t.homeRegion, a.id, t.name);
  return {
    name: t.name,
    bucket: t.bucket,
    prefix: t.prefix,
    homeRegion: t.homeRegion,
    organizationId: org,
    arn,
    accountTrails,
  };
}
