import type { Faker } from '@faker-js/faker';
import type { Rng } from '../random/rng.js';

/**
 * What a template may read while it renders one event. Templates reach these values through the
 * `ref` generator with a dotted path (`account.id`, `region`, `insight.id`, ...); the engine
 * fills the context from the world and the plan, the template never computes them itself.
 */
export interface RenderContext {
  /** The AWS partition, `aws` for every DevOps Guru Region. */
  partition: string;
  /** The Region the call went to. */
  region: string;
  /** The account that received the call (recipientAccountId). */
  account: { id: string; alias: string };
  /** The event time, in epoch milliseconds (whole seconds). */
  eventTime: number;
  /** The caller. */
  principal: { arn: string; accountId: string; name: string };
  /** World entities, resolved lazily by the engine so that unused ones cost nothing. */
  world: WorldView;
  /** Faker, driven by the same seeded stream as `rng`. */
  faker: Faker;
}

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

export type { Rng };
