/**
 * Which record fields exist at an eventVersion.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export interface VersionFields {
  requestAndEventId: boolean;
  readOnly: boolean;
  eventTypeAndRecipient: boolean;
  vpcEndpointId: boolean;
  managementEvent: boolean;
  eventCategory: boolean;
  tlsAndConsole: boolean;
  vpcEndpointAccountId: boolean;
}

/** Compares `major.minor` numerically: `1.10` is after `1.09`. */
export function versionNumber(version: string): number {
  const [major, minor] = version.split('.');
  return Number(major) * 1000 + Number(minor ?? 0);
}

export function fieldsOf(version: string): VersionFields {
  const v = versionNumber(version);
  return {
    requestAndEventId: v >= 1001,
    readOnly: v >= 1001,
    eventTypeAndRecipient: v >= 1002,
    vpcEndpointId: v >= 1004,
    managementEvent: v >= 1006,
    eventCategory: v >= 1007,
    tlsAndConsole: v >= 1008,
    vpcEndpointAccountId: v >= 1009,
  };
}
