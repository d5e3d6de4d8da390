/** A DevOps Guru insight as calls see it. */
export interface InsightRef {
  id: string;
  type: 'REACTIVE' | 'PROACTIVE';
  severity: 'LOW' | 'MEDIUM' | 'HIGH';
  status: 'ONGOING' | 'CLOSED';
  /** Epoch ms. */
  startTime: number;
  /** Epoch ms, or null while ongoing. */
  endTime: number | null;
  anomalyIds: readonly string[];
  /** The stacks and tag values the insight belongs to. */
  stackNames: readonly string[];
}

export interface ChannelRef {
  id: string;
  topicArn: string;
}

export interface TagRef {
  key: string;
  values: readonly string[];
}

/**
 * The part of the world visible at the event's account, Region and time. Each getter draws from
 * the window's random stream when there is more than one candidate.
 */
export interface WorldView {
  /** An insight that exists at the event time. */
  insight(): InsightRef;
  /** An anomaly ID of an insight that exists at the event time. */
  anomalyId(): string;
  /** A notification channel that exists at the event time. */
  channel(): ChannelRef;
  /** A fresh notification channel for an AddNotificationChannel call. */
  newChannel(): ChannelRef;
  /** An SNS topic ARN in the caller's account and Region. */
  topicArn(): string;
  /** CloudFormation stack names in the account's resource collection. */
  stackNames(): readonly string[];
  /** Tag keys and values used as DevOps Guru application boundaries in the account. */
  tags(): readonly TagRef[];
  /** Account IDs of the organization (management account first), or just this account. */
  organizationAccountIds(): readonly string[];
  /** Organizational unit IDs of the organization (may be empty). */
  organizationalUnitIds(): readonly string[];
  /** A KMS key ARN in the account and Region. */
  kmsKeyArn(): string;
}
