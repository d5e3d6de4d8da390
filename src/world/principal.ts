import type { Client } from './clients.js';
import type { WorkHours } from './hours.js';
import type { Range24 } from './network.js';
import type { VpcEndpoint } from './vpc-endpoint.js';

import type { IdentityType } from '../scenario/identity-types.js';

export type { IdentityType };

/**
 * A call a principal makes on a clock: a reporting Lambda listing insights every ten minutes, a
 * dashboard bot reading account health, a scheduled CI job. Scheduled polls are why automation
 * dominates a real account's DevOps Guru calls at night.
 */
export interface Poll {
  /** Period between polls, ms; longer than any run for a one-off planned change (a settings update). */
  everyMs: number;
  /** Offset of the first poll from the epoch, ms: each poller keeps its own minute. */
  phaseMs: number;
  /** The Region polled (the account's home Region). */
  region: string;
  /** Operations called in order on each poll, a second or two apart. */
  operations: readonly string[];
}

/** Who is behind a principal, which decides how it behaves. */
export type Actor = 'human' | 'automation' | 'service';

/** How a principal's sessions come and go, which decides when its temporary keys change. */
export type SessionStyle =
  /** Long-term access key, no session. */
  | 'long-term'
  /** A console sign-in lasting a working block of a few hours. */
  | 'console'
  /** A person's CLI or SDK session from `aws sso login` or an assumed role, a few hours. */
  | 'interactive'
  /** One session per job (CI run, Terraform apply). */
  | 'job'
  /** Credentials of a Lambda function or service role, rotated every few hours. */
  | 'rotating'
  /** No credentials of its own: an AWS service. */
  | 'none';

export interface Principal {
  /** Stable label, used to fork the principal's random streams. */
  key: string;
  type: IdentityType;
  actor: Actor;
  sessionStyle: SessionStyle;
  accountId: string;
  /** IAM user name, role name, federated user name, or the service principal. */
  name: string;
  /** AIDA… for users, AROA… for roles. */
  uniqueId: string;
  /** Long-term access keys (IAM users with keys). */
  accessKeys: readonly string[];
  /** For roles: the path in the role ARN (`/` or `/aws-reserved/sso.amazonaws.com/<region>/`). */
  path: string;
  /** Session names a role's or federated user's sessions use (people, CI systems, functions). */
  sessionNames: readonly string[];
  /** Federated users: the IAM user that called GetFederationToken. */
  issuer: { name: string; uniqueId: string } | null;
  /** For AWS service calls: the service that made them. */
  invokedBy: string | null;
  /** The clients this principal uses, most used first, with weights. */
  clients: readonly Client[];
  /** One weight per client, as a Float64Array like every weight list drawn from while rendering. */
  clientWeights: Float64Array;
  /** Where calls come from: /24 ranges (office, VPN, CI runners) or a VPC endpoint. */
  sourceRanges: readonly Range24[];
  /** The interface endpoint its hosts call the service through, in its home Region. */
  vpcEndpoint: VpcEndpoint | null;
  mfa: boolean;
  /** Share of the account's activity this principal makes. */
  weight: number;
  /**
   * The operations this principal calls, or null for any its kind may call. Terraform and
   * CloudFormation read and write configuration only; a reporting Lambda reads insights.
   */
  operations: readonly string[] | null;
  /** Whether it makes configuration changes (notification channels, resource collection). */
  configures: boolean;
  /** Calls made on a schedule, taken from the window's count before anything else. */
  polls: readonly Poll[];
  /**
   * Offset of the principal's session grid, ms, so that sessions of different principals do not
   * all renew at the same instant.
   */
  sessionPhase: number;
  /**
   * When its calls are made: a person's working hours (those its people all work), or for a CI or
   * IaC role the hours of the people whose changes start its runs; null for automation that runs
   * around the clock.
   */
  hours: WorkHours | null;
  /** Calls only on its schedule (`polls`), never otherwise. */
  scheduleOnly: boolean;
  /** Whether its people are paged for a high-severity insight, whatever the hour. */
  onCall: boolean;
}
