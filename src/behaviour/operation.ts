/** Who plausibly makes a call: people at the console or CLI, automation (IaC, CI), AWS services. */
export type Caller = 'human' | 'automation' | 'service';

/** `organization` calls come only from an organization's management or delegated-admin account. */
export type TemplateScope = 'account' | 'organization';

/** An error code a call may fail with, and its weight relative to the operation's other errors. */
export interface ErrorChoice {
  code: string;
  weight: number;
}

/**
 * What behaviour reads of an operation's template to decide who calls it, when, and how it fails.
 * Rendering's compiled templates carry it; behaviour never looks at how a record is written.
 */
export interface OperationInfo {
  readonly eventSource: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly weight: number;
  readonly scope: TemplateScope;
  readonly callers: readonly Caller[];
  readonly errors: readonly ErrorChoice[];
  /** Kinds of world entity that must exist at the event time for the call to make sense. */
  readonly requires: readonly string[];
  /** World changes (`entity.event`, e.g. `channel.create`) this operation carries out. */
  readonly lifecycle: readonly string[];
  /** Rendered only for the world changes in `lifecycle`, never drawn at random. */
  readonly scheduledOnly: boolean;
  /** Whether the operation returns pages: a call may be followed by calls for its next pages. */
  readonly paginated?: boolean;
}

/** The callers a template may name, in a fixed order (an index into a principal's pools). */
export const CALLERS: readonly Caller[] = ['human', 'automation', 'service'];
