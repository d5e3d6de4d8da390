import type { Window } from '../plan/window.js';
import type { Rng } from '../shared/rng.js';
import type { Client } from '../world/clients.js';
import type { ScheduledCall } from '../world/lifecycle.js';
import type { Principal } from '../world/principal.js';
import { RegionState } from '../world/view.js';
import type { Account, World } from '../world/world.js';
import { ActivityDraw, serviceClient } from './activity.js';
import { firstDue, polls } from '../plan/polls.js';
import { CastCurve } from '../plan/curve.js';
import type { CurveSettings } from '../scenario/curve-settings.js';
import type { ServiceDescription } from '../generated/service.js';
import { callOf, emptySlot, type CallDescription, type CallSink, type CallSlot } from './call.js';
import { FailureDraw, type FailureSettings } from './failure.js';
import type { Caller, OperationInfo } from './operation.js';
import { TemplateChoice } from './template-choice.js';
import { followingPages } from './paging.js';

/** What behaviour takes from the scenario. */
export interface BehaviourSettings {
  /** Share of calls that fail, 0..1. */
  errorRate: number;
  /** Per-operation weight overrides, by eventName. */
  operationWeights: Readonly<Record<string, number>>;
  /** What the service's console loads when a person opens it, in order. */
  consoleOpening: readonly string[];
  /** How activity rises and falls over the day and the week. */
  curve: CurveSettings;
  /** IaC tools and the service resources they manage (the description's infrastructureAsCode). */
  infrastructureAsCode?: ServiceDescription['infrastructureAsCode'];
  /** Settings changes, planned by the world and never drawn call by call (its `settings`). */
  settings?: ServiceDescription['settings'];
  /** Who may call what (world/policies.ts). */
  permissions: FailureSettings['permissions'];
  /** Whether every request of an operation can be made invalid. */
  invalidable: FailureSettings['invalidable'];
}

/** Per IaC tool (a client kind): the reads with which its refreshes read its resources. */
function toolReads(iac: BehaviourSettings['infrastructureAsCode']): Map<string, readonly string[]> {
  const tools = new Map<string, readonly string[]>();
  for (const [tool, { resources }] of Object.entries(iac ?? {}))
    tools.set(tool, [...new Set(Object.values(resources).flatMap((r) => r.read ?? []))]);
  return tools;
}

/** Who makes a call and where: what the calls of one activity or poll share. */
type CallWho = Pick<CallDescription, 'account' | 'region' | 'state' | 'principal' | 'client' | 'jobStart'>;

/** A poll due in a window (see `Behaviour.polls`). */
interface DuePoll {
  at: number;
  every: number;
  principal: Principal;
  client: Client;
  operations: readonly string[];
}

/**
 * Decides the calls of a window: the world's planned changes, the scheduled polls due, then
 * activities (who acts, from which client, which operations, whether each fails) until the
 * window's count is made. Pure: the same window and stream give the same calls, whatever was
 * decided before, so windows can be decided in any order or in parallel.
 */
export class Behaviour<T extends OperationInfo> {
  private readonly states = new Map<string, RegionState>();
  private readonly byLifecycle = new Map<string, T>();
  private readonly byName = new Map<string, T>();
  private readonly activities: ActivityDraw;
  /** Per IaC tool (client kind), the reads of its refreshes. */
  private readonly tools: ReadonlyMap<string, readonly string[]>;
  private readonly choice: TemplateChoice<T>;
  private readonly failures: FailureDraw;
  /** The description of the call being decided, filled in place (see `CallSink`). */
  private readonly slot: CallSlot<T>;

  constructor(
    readonly world: World,
    readonly templates: readonly T[],
    settings: BehaviourSettings,
    private readonly lifecycles: readonly ScheduledCall[],
  ) {
    this.tools = toolReads(settings.infrastructureAsCode);
    this.activities = new ActivityDraw(
      new CastCurve(world, settings.curve),
      settings.consoleOpening,
      this.tools,
    );
    // A settings change is the last operation of its change; the reads before it are drawn too.
    const planned = new Set(
      (settings.settings?.changes ?? []).map((c) => c.operations[c.operations.length - 1]!),
    );
    this.failures = new FailureDraw(settings);
    this.choice = new TemplateChoice(templates, settings.operationWeights, this.failures, planned);
    for (const t of templates) for (const change of t.lifecycle) this.byLifecycle.set(change, t);
    for (const t of templates) this.byName.set(t.eventName, t);
    const anyAccount = world.accounts[0]!;
    this.slot = emptySlot(
      templates[0]!,
      this.state(anyAccount, anyAccount.homeRegion),
      anyAccount.principals[0]!,
    );
  }

  /** The world in an account's Region, replayed once from the planned changes. */
  state(account: Account, region: string): RegionState {
    const key = `${account.id}/${region}`;
    let s = this.states.get(key);
    if (!s) {
      s = new RegionState(this.world, account, region, this.lifecycles);
      this.states.set(key, s);
    }
    return s;
  }

  /** Decides every call of a window, in the order they were made within each activity. */
  decideWindow(w: Window, rng: Rng, out: CallSink<T>): void {
    const account = this.world.accounts[w.accountIndex]!;
    const state = this.state(account, w.region);
    for (const call of w.scheduled) {
      const label = `${call.change.entity}.${call.change.event}`;
      const t = this.byLifecycle.get(label);
      if (!t) continue;
      const principal = account.principals[call.principal]!;
      // A role that applies through an IaC tool makes its changes with it, so the tool that
      // created a resource is the one that removes it.
      const client =
        principal.clients.find((c) => this.tools.has(c.kind)) ??
        rng.weighted(principal.clients, principal.clientWeights);
      out.call(
        callOf(this.slot, {
          template: t,
          account,
          region: w.region,
          state,
          principal,
          client,
          time: call.time,
          errorCode: undefined,
          jobStart: undefined,
          change: call.change,
          label,
          page: 0,
        }),
        rng,
      );
    }
    // Polls belong to the window, not to each of its parts. (`count` is read on every window, not
    // only on parts: docs/hot-path.md, rule 4.)
    let remaining = w.count;
    // A batch run's plan counted the polls apart; a stream (its windows have `earliest`) delivers
    // its rate and nothing more, so it has none.
    if (!w.part && w.earliest === undefined) this.polls(w, account, state, rng, out);
    // Each activity is decided by a method of its own (docs/hot-path.md, rule 4).
    while (remaining > 0) remaining -= this.activity(w, account, state, rng, remaining, out);
  }

  /**
   * One activity of a window (a principal's run of calls), at most `remaining` calls; returns how
   * many it made.
   */
  private activity(
    w: Window,
    account: Account,
    state: RegionState,
    rng: Rng,
    remaining: number,
    out: CallSink<T>,
  ): number {
    const span = w.end - w.start;
    let act = this.activities.draw(account, w.region, w.start, rng);
    // A window with room for only a call or two gets automation or a CLI call, not a console visit.
    for (let i = 0; i < 4 && act.minSize > remaining; i++)
      act = this.activities.draw(account, w.region, w.start, rng);
    const burst = this.failures.burst(act.mayThrottle, Math.min(act.size, remaining), remaining, rng);
    const size = burst.size;
    let time = w.start + Math.floor((rng.next() * span) / 1000) * 1000;
    // Now and then CloudTrail delivers a call from a few minutes before the window.
    if (rng.chance(0.004)) {
      time -= rng.int(2, 12) * 60_000;
      if (w.earliest !== undefined && time < w.earliest) time = Math.ceil(w.earliest / 1000) * 1000;
    }
    const jobStart = time;
    // Throttling comes in runs: a busy script or job gets several ThrottlingExceptions in a row
    // before it backs off.
    const throttleFrom = burst.throttleFrom;
    const throttleTo = burst.throttleTo;
    const p = act.principal;
    const who: CallWho = { account, region: w.region, state, principal: p, client: act.client, jobStart };
    // Pages a paginated call is followed by are calls of the activity too, as far as the window
    // has room: `made` counts them all.
    let made = 0;
    for (let k = 0; k < size && made < remaining; k++) {
      const opening = k < act.opening.length ? this.byName.get(act.opening[k]!) : undefined;
      const t = opening ?? this.choice.pick(act, account, state, time, rng);
      const throttled = k >= throttleFrom && k < throttleTo;
      const errorCode =
        throttled && t.errors.some((e) => e.code === 'ThrottlingException')
          ? 'ThrottlingException'
          : this.failures.draw(t, p, account, time, rng);
      this.emit(out, rng, who, t, time, errorCode, 0);
      made++;
      if (!burst.busy) {
        // The caller reads on: the same request for the next pages, a second or two apart.
        const pages = followingPages(t, errorCode, remaining - made - (size - k - 1), rng);
        for (let page = 1; page <= pages; page++) {
          time = Math.min(w.end - 1000, time + rng.int(1, 2) * 1000);
          this.emit(out, rng, who, t, time, undefined, page);
          made++;
        }
      }
      // The dashboard's requests leave together; throttled retries follow each other closely.
      const together = burst.busy || k + 1 < act.opening.length;
      const gap = together ? rng.int(0, 1) : rng.int(act.gap[0], act.gap[1]);
      time = Math.min(w.end - 1000, time + gap * 1000);
    }
    return made;
  }

  /**
   * The scheduled polls due in the window (reporting Lambdas, dashboard bots, scheduled CI jobs):
   * each poll's operations in order, a second or two apart, starting a few seconds after its due
   * time. The plan counted them apart from the window's count (plan/polls.ts), so all are made.
   */
  private polls(w: Window, account: Account, state: RegionState, rng: Rng, out: CallSink<T>): void {
    const due: DuePoll[] = [];
    for (const principal of account.principals) {
      if (!polls(this.world, principal)) continue;
      for (const poll of principal.polls) {
        if (poll.region !== w.region || poll.operations.length === 0) continue;
        const client =
          principal.clients.find((c) => c.kind !== 'terraform' && c.kind !== 'console') ??
          principal.clients[0];
        if (!client) continue;
        for (let at = firstDue(poll, w.start); at < w.end; at += poll.everyMs)
          due.push({ at, every: poll.everyMs, principal, client, operations: poll.operations });
      }
    }
    due.sort((a, b) => a.at - b.at || b.every - a.every);
    for (const { at, principal, client, operations } of due) {
      // A scheduler's small jitter: the job starts up to 15 s after its minute.
      let time = Math.min(w.end - 1000, at + rng.int(0, 15) * 1000);
      const who: CallWho = { account, region: w.region, state, principal, client, jobStart: at };
      for (const name of operations) {
        const t = this.byName.get(name);
        if (!t) continue;
        const errorCode = this.failures.draw(t, principal, account, time, rng);
        this.emit(out, rng, who, t, time, errorCode, 0);
        time = Math.min(w.end - 1000, time + rng.int(1, 2) * 1000);
      }
    }
  }

  /** Sends one call that no planned change makes, by `who`, to the sink. */
  private emit(
    out: CallSink<T>,
    rng: Rng,
    who: CallWho,
    template: T,
    time: number,
    errorCode: string | undefined,
    page: number,
  ): void {
    out.call(
      callOf(this.slot, {
        template,
        account: who.account,
        region: who.region,
        state: who.state,
        principal: who.principal,
        client: who.client,
        time,
        errorCode,
        jobStart: who.jobStart,
        change: null,
        label: undefined,
        page,
      }),
      rng,
    );
  }

  /**
   * One call of the named operation in the first account's home Region at `time` (the management
   * account for an organization-wide operation), by a principal that would make it: for `sample`
   * and `renderRecord`. `fail` forces an error code.
   */
  decideOne(t: T, time: number, rng: Rng, out: CallSink<T>, fail?: string): void {
    const account =
      (t.scope === 'organization' ? this.world.accounts.find((a) => a.organizationAdmin) : undefined) ??
      this.world.accounts[0]!;
    const state = this.state(account, account.homeRegion);
    const caller: Caller = t.callers.includes('human') ? 'human' : (t.callers[0] ?? 'human');
    const fits = (p: Principal): boolean =>
      p.actor === caller &&
      p.type !== 'AWSService' &&
      (p.operations === null || p.operations.includes(t.eventName)) &&
      (t.readOnly || p.configures);
    const principals = account.principals.filter(fits);
    const principal = rng.weighted(
      principals.length ? principals : account.principals,
      (principals.length ? principals : account.principals).map((p) => p.weight),
    );
    const client = principal.clients.length
      ? rng.weighted(principal.clients, principal.clientWeights)
      : serviceClient(principal);
    const errorCode = fail ?? this.failures.draw(t, principal, account, time, rng);
    this.emit(
      out,
      rng,
      { account, region: account.homeRegion, state, principal, client, jobStart: undefined },
      t,
      time,
      errorCode,
      0,
    );
  }
}
