import type { Grant, Policy, ServiceControlPolicy, ServiceDescription } from '../generated/service.js';
import { Rng } from '../shared/rng.js';
import type { Principal } from './principal.js';
import type { Account, World } from './world.js';

const HOUR = 3_600_000;

/**
 * Why a call is denied, as IAM's message says it: no identity-based policy allows the action, an
 * identity-based policy denies it explicitly, or a service control policy denies it.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export type Denial = 'implicit' | 'explicit' | 'scp';

/** What the permission model reads of an operation. */
export interface PolicyOperation {
  readonly eventName: string;
  readonly readOnly: boolean;
  /** How often it is called: a missing permission is most often one of the common actions. */
  readonly weight: number;
  /** World changes it carries out: a planned change never fails, so no gap is drawn on it. */
  readonly lifecycle: readonly string[];
}

/** What the permission model is drawn from. */
export interface PolicySettings {
  seed: number;
  start: number;
  end: number;
  /** Share of calls that fail: sets how many principals lack a permission for a while. */
  errorRate: number;
}

/** An action pattern of a policy, `*` matching any run of characters. */
type Matcher = (action: string) => boolean;

/** A matcher remembers its answers: it is asked on every call, about a few dozen actions. */
function matcherOf(patterns: readonly string[] | undefined): Matcher {
  if (!patterns || patterns.length === 0) return () => false;
  const re = new RegExp(`^(?:${patterns.map((p) => p.replace(/\*/g, '.*')).join('|')})$`);
  const known = new Map<string, boolean>();
  return (action) => {
    let m = known.get(action);
    if (m === undefined) known.set(action, (m = re.test(action)));
    return m;
  };
}

/**
 * A permission a principal lacks for a while: a new role deployed without it, or a person's
 * permission set missing one action, until someone adds it (`until`).
 */
interface Gap {
  action: string;
  from: number;
  until: number;
}

/** What one principal may call, drawn once. */
interface PrincipalPolicy {
  /** Root and AWS services: no identity-based policy limits them. */
  unrestricted: boolean;
  allows: Matcher;
  denies: Matcher;
  /** The policy's name, or `duty` for a policy written for the principal's job. */
  policy: string;
  gaps: Gap[];
}

/** A service control policy attached to a member account from `from` on. */
interface Attachment {
  name: string;
  denies: Matcher;
  /** Whether the policy's condition exempts the principal, answered once per principal. */
  exempt: (p: Principal) => boolean;
  from: number;
}

/**
 * The organization's permission model, drawn once from the seed: each principal's identity-based
 * policy (from the service description's grants, or one written for its duty), the few permissions
 * some principals lack until a scheduled fix, and the service control policies attached to member
 * accounts. Whether a call is denied follows from it, so the same principal and action get the same
 * answer until a policy change.
 */
export class Permissions {
  private readonly byPrincipal = new Map<Principal, PrincipalPolicy>();
  private readonly byAccount = new Map<Account, Attachment[]>();

  constructor(
    world: World,
    operations: readonly PolicyOperation[],
    description: Pick<ServiceDescription, 'permissions' | 'grants' | 'serviceControlPolicies'>,
    settings: PolicySettings,
  ) {
    const root = new Rng(settings.seed).fork('policies');
    const policies = description.permissions ?? {};
    const grants = description.grants ?? [];
    const span = Math.max(HOUR, settings.end - settings.start);
    // A principal lacks a permission now and then; with no errors asked for, never.
    const gapChance = Math.min(0.6, settings.errorRate * 10);
    for (const account of world.accounts) {
      for (const p of account.principals) {
        const rng = root.fork(`principal/${p.key}`);
        const policy = policyOf(p, grants, policies, rng);
        const mayCall = (o: PolicyOperation): boolean =>
          policy.unrestricted || (policy.allows(o.eventName) && !policy.denies(o.eventName));
        const candidates = operations.filter(
          (o) =>
            o.lifecycle.length === 0 &&
            mayCall(o) &&
            (p.operations === null || p.operations.includes(o.eventName)),
        );
        if (!policy.unrestricted && candidates.length >= 2 && rng.chance(gapChance)) {
          const action = rng.weighted(
            candidates,
            candidates.map((o) => o.weight),
          ).eventName;
          // A role deployed without a permission fails on its first run and is fixed within hours;
          // a person asks for the missing permission and gets it a day or two later.
          const bot = p.actor === 'automation';
          const from = bot ? settings.start + rng.next() * span * 0.6 : -Infinity;
          const until = bot
            ? from + rng.int(2, 24) * HOUR
            : settings.start + (0.05 + rng.next() * 0.35) * span;
          policy.gaps.push({ action, from: Math.floor(from), until: Math.floor(until) });
        }
        this.byPrincipal.set(p, policy);
      }
      this.byAccount.set(account, []);
    }
    const org = world.organization;
    if (org) {
      for (const scp of description.serviceControlPolicies ?? []) {
        const rng = root.fork(`scp/${scp.name}`);
        for (const account of world.accounts) {
          if (account.id === org.managementAccountId || !rng.chance(scp.share ?? 1)) continue;
          // Attached before the run, or during it: a policy change an analyst can date.
          const from = rng.chance(0.5) ? -Infinity : settings.start + Math.floor(rng.next() * span * 0.8);
          this.byAccount.get(account)!.push(attachmentOf(scp, from));
        }
      }
    }
  }

  /** Why the principal may not call the action at `time`, or null when it may. */
  denial(principal: Principal, account: Account, action: string, time: number): Denial | null {
    for (const scp of this.byAccount.get(account) ?? [])
      if (time >= scp.from && scp.denies(action) && !scp.exempt(principal)) return 'scp';
    const policy = this.byPrincipal.get(principal);
    if (!policy || policy.unrestricted) return null;
    if (policy.denies(action)) return 'explicit';
    if (!policy.allows(action)) return 'implicit';
    for (const g of policy.gaps)
      if (g.action === action && time >= g.from && time < g.until) return 'implicit';
    return null;
  }

  /**
   * Whether a denial is one the principal's job runs into until it is fixed: an action its duty or
   * permission set should include. Automation keeps calling such an action; it never calls one it
   * was not built to call.
   */
  inGap(principal: Principal, action: string, time: number): boolean {
    const policy = this.byPrincipal.get(principal);
    return !!policy?.gaps.some((g) => g.action === action && time >= g.from && time < g.until);
  }

  /** The principal's policy and the permissions it lacks for a while, for tests and tools. */
  describe(principal: Principal): { policy: string; gaps: readonly Readonly<Gap>[] } | undefined {
    const p = this.byPrincipal.get(principal);
    return p && { policy: p.policy, gaps: p.gaps };
  }

  /** Every time in the run a policy changes (a permission added, an SCP attached), sorted. */
  changes(): number[] {
    const out: number[] = [];
    for (const p of this.byPrincipal.values())
      for (const g of p.gaps) for (const t of [g.from, g.until]) if (Number.isFinite(t)) out.push(t);
    for (const list of this.byAccount.values())
      for (const a of list) if (Number.isFinite(a.from)) out.push(a.from);
    return [...new Set(out)].sort((a, b) => a - b);
  }

  /** The service control policies attached to an account, with when each was attached. */
  attachments(account: Account): readonly { name: string; from: number }[] {
    return (this.byAccount.get(account) ?? []).map(({ name, from }) => ({ name, from }));
  }
}

function attachmentOf(scp: ServiceControlPolicy, from: number): Attachment {
  const except = scp.exceptPrincipal ? new RegExp(scp.exceptPrincipal) : null;
  const exempt = new Map<Principal, boolean>();
  return {
    name: scp.name,
    denies: matcherOf(scp.deny),
    exempt: (p) => {
      let e = exempt.get(p);
      if (e === undefined) exempt.set(p, (e = except !== null && except.test(p.name)));
      return e;
    },
    from,
  };
}

function grantMatches(g: Grant, p: Principal): boolean {
  return (
    (g.type === undefined || g.type === p.type) &&
    (g.actor === undefined || g.actor === p.actor) &&
    (g.principal === undefined || new RegExp(g.principal).test(p.name))
  );
}

/**
 * A principal's identity-based policy: root and AWS services are not limited by one; a principal
 * with a duty holds one written for it; others hold the first grant that matches (and whose share
 * is drawn), or nothing at all.
 */
function policyOf(
  p: Principal,
  grants: readonly Grant[],
  policies: Readonly<Record<string, Policy>>,
  rng: Rng,
): PrincipalPolicy {
  const none = (): boolean => false;
  if (p.type === 'Root' || p.type === 'AWSService')
    return { unrestricted: true, allows: () => true, denies: none, policy: p.type, gaps: [] };
  if (p.operations !== null) {
    const duty = new Set(p.operations);
    return { unrestricted: false, allows: (a) => duty.has(a), denies: none, policy: 'duty', gaps: [] };
  }
  for (const g of grants) {
    if (!grantMatches(g, p)) continue;
    if (g.share !== undefined && !rng.chance(g.share)) continue;
    const policy = policies[g.policy] ?? {};
    return {
      unrestricted: false,
      allows: matcherOf(policy.allow),
      denies: matcherOf(policy.deny),
      policy: g.policy,
      gaps: [],
    };
  }
  return { unrestricted: false, allows: none, denies: none, policy: '(none)', gaps: [] };
}
