import { Rng } from '../random/rng.js';
import { SeededFaker } from '../random/faker.js';
import type { CompiledTemplate, Caller } from './template.js';
import type { RenderContext } from './context.js';
import { SessionCache, type SessionRecordParts } from './identity.js';
import { errorMessage } from './errors.js';
import { negotiateTls, tlsDetailsOf, TLS_CHOICES, type TlsChoice } from './tls.js';
import { fieldsOf, type VersionFields } from './version.js';
import { isoSeconds } from './time.js';
import { cliCommandName, type Client } from '../world/clients.js';
import { hostIn, vpcAddress } from '../world/network.js';
import type { Principal, IdentityType } from '../world/principal.js';
import type { Account, World } from '../world/world.js';
import type { ScheduledCall } from '../world/lifecycle.js';
import { CallWorldView, RegionState, type ViewBinding } from '../world/view.js';
import { CONSOLE_OPENING } from '../world/duties.js';

/** The settings that shape every record. */
export interface RenderSettings {
  eventVersion: string;
  /** Share of calls that fail, 0..1. */
  errorRate: number;
  /** Per-operation weight overrides, by eventName. */
  operationWeights: Readonly<Record<string, number>>;
}

/** One delivery window of one account and Region: what the plan hands to the renderer. */
export interface Window {
  accountIndex: number;
  region: string;
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
  /** Calls drawn at random in this window. */
  count: number;
  /** Calls the world planned in this window. */
  scheduled: readonly ScheduledCall[];
  /**
   * A busy window is rendered in parts of at most MAX_CALLS_PER_PART calls, each on its own stream
   * and delivered as its own file, so memory stays bounded; 0 (or absent) for the first part.
   */
  part?: number;
}

/** The label a window's random streams are forked by: account, Region, start, and part. */
export function windowLabel(accountId: string, w: Pick<Window, 'region' | 'start' | 'part'>): string {
  return w.part
    ? `${accountId}/${w.region}/${w.start}/part/${w.part}`
    : `${accountId}/${w.region}/${w.start}`;
}

/** A rendered record: its time and its JSON text. */
const DEVOPS_GURU = 'devops-guru.amazonaws.com';

export interface RenderedEvent {
  time: number;
  json: string;
}

interface Activity {
  principal: Principal;
  client: Client;
  /** Calls in this activity. */
  size: number;
  /** Seconds between calls. */
  gap: [number, number];
  readOnlyBias: number;
  caller: Caller;
  /** Whether a run of its calls may be throttled: scripts and jobs that call in quick succession. */
  mayThrottle: boolean;
  /** Fewest calls that make the activity: a console visit is a burst, never a lone call. */
  minSize: number;
  /** Operations the activity starts with, in order (the console dashboard's first requests). */
  opening: readonly string[];
}

interface TemplateFragments {
  /** `,"eventSource":…,"eventName":…,"awsRegion":` */
  sourceAndName: string;
  /** The service part of eventSource, as IAM names it in actions. */
  service: string;
}

/**
 * Renders windows of records from the world and the templates. Pure: the same window gives the
 * same records, whatever was rendered before, so windows can be rendered in any order or in
 * parallel.
 */
export class Renderer {
  private readonly root: Rng;
  private readonly faker: SeededFaker;
  private readonly fields: VersionFields;
  private readonly states = new Map<string, RegionState>();
  private readonly byLifecycle = new Map<string, CompiledTemplate>();
  private readonly byName = new Map<string, CompiledTemplate>();
  private readonly candidates = new Map<string, { list: CompiledTemplate[]; weights: number[] }>();
  private readonly agents = new Map<Client, Map<CompiledTemplate, string>>();
  // Constant JSON fragments of records, built on first use (see renderCall).
  private readonly sessions: SessionCache;
  private readonly head: string;
  private readonly tls = new Map<string, Map<string, Map<TlsChoice, string>>>();
  private readonly fragments = new Map<CompiledTemplate, TemplateFragments>();
  private readonly tails = new Map<string, string>();
  private readonly regions = new Map<string, string>();
  private readonly readOnlyPrincipals = new Map<string, boolean>();

  constructor(
    readonly world: World,
    readonly templates: readonly CompiledTemplate[],
    readonly settings: RenderSettings,
    readonly lifecycles: readonly ScheduledCall[],
  ) {
    this.root = new Rng(world.seed).fork('render');
    this.faker = new SeededFaker(this.root);
    this.fields = fieldsOf(settings.eventVersion);
    this.sessions = new SessionCache(this.root);
    this.head = `{"eventVersion":${JSON.stringify(settings.eventVersion)},"userIdentity":`;
    for (const t of templates) for (const change of t.lifecycle) this.byLifecycle.set(change, t);
    for (const t of templates) this.byName.set(t.eventName, t);
  }

  private state(account: Account, region: string): RegionState {
    const key = `${account.id}/${region}`;
    let s = this.states.get(key);
    if (!s) {
      s = new RegionState(this.world, account, region, this.lifecycles);
      this.states.set(key, s);
    }
    return s;
  }

  /** Templates a caller of this kind may use in this account, with their weights. */
  private pool(
    caller: Caller,
    admin: boolean,
    readOnly: boolean | null,
    principal: Principal | null,
  ): { list: CompiledTemplate[]; weights: number[] } {
    const ops = principal?.operations ?? null;
    const key = `${caller}/${admin}/${readOnly}/${ops ? principal!.key : '*'}`;
    let p = this.candidates.get(key);
    if (!p) {
      const list = this.templates.filter(
        (t) =>
          !t.scheduledOnly &&
          t.callers.includes(caller) &&
          (admin || t.scope !== 'organization') &&
          (readOnly === null || t.readOnly === readOnly) &&
          (ops === null || ops.includes(t.eventName)),
      );
      const weights = list.map((t) => this.settings.operationWeights[t.eventName] ?? t.weight);
      p = { list, weights };
      this.candidates.set(key, p);
    }
    return p;
  }

  private pickPrincipal(account: Account, rng: Rng): Principal {
    const mix = this.world.identityMix;
    const types = [...new Set(account.principals.map((p) => p.type))].filter((t) => (mix[t] ?? 0) > 0);
    const type: IdentityType = rng.weighted(
      types,
      types.map((t) => mix[t] ?? 0),
    );
    const ofType = account.principals.filter((p) => p.type === type);
    return rng.weighted(
      ofType,
      ofType.map((p) => p.weight),
    );
  }

  private activity(account: Account, rng: Rng): Activity {
    const principal = this.pickPrincipal(account, rng);
    const client =
      principal.clients.length > 0 ? rng.weighted(principal.clients, principal.clientWeights) : null;
    if (principal.actor === 'service' || !client) {
      return {
        principal,
        client: {
          kind: 'cloudformation',
          userAgent: principal.invokedBy ?? 'AWS Internal',
          viaService: true,
        },
        size: rng.int(1, 2),
        gap: [1, 20],
        readOnlyBias: 0.9,
        caller: 'service',
        mayThrottle: false,
        minSize: 1,
        opening: [],
      };
    }
    if (client.kind === 'console') {
      // A person opens the DevOps Guru console: a burst of reads within minutes; a rare write is
      // feedback on an insight.
      return {
        principal,
        client,
        size: rng.int(3, 12),
        gap: [2, 25],
        readOnlyBias: 0.985,
        caller: 'human',
        mayThrottle: false,
        minSize: 3,
        opening: CONSOLE_OPENING,
      };
    }
    if (principal.actor === 'human')
      return {
        principal,
        client,
        size: rng.int(1, 4),
        gap: [1, 15],
        readOnlyBias: 0.95,
        caller: 'human',
        mayThrottle: true,
        minSize: 1,
        opening: [],
      };
    // A CI run or `terraform plan` refreshes configuration; applies that write are rare.
    if (principal.sessionStyle === 'job')
      return {
        principal,
        client,
        size: rng.int(2, 8),
        gap: [0, 6],
        readOnlyBias: 0.96,
        caller: 'automation',
        mayThrottle: true,
        minSize: 1,
        opening: [],
      };
    return {
      principal,
      client,
      size: rng.int(1, 5),
      gap: [0, 3],
      readOnlyBias: 0.99,
      caller: 'automation',
      mayThrottle: true,
      minSize: 1,
      opening: [],
    };
  }

  private pickTemplate(
    activity: Activity,
    account: Account,
    state: RegionState,
    time: number,
    rng: Rng,
  ): CompiledTemplate {
    const readOnly = rng.chance(activity.readOnlyBias);
    const admin = account.organizationAdmin;
    const p = activity.principal;
    let pool = this.pool(activity.caller, admin, readOnly, p);
    if (pool.list.length === 0) pool = this.pool(activity.caller, admin, null, p);
    if (pool.list.length === 0) pool = this.pool(activity.caller, admin, null, null);
    if (pool.list.length === 0) pool = this.pool('human', admin, null, null);
    for (let i = 0; i < 4; i++) {
      const t = rng.weighted(pool.list, pool.weights);
      if (t.requires.every((r) => state.has(r, time))) return t;
    }
    // Rarely reached (no insight yet, no cost estimation started): only operations whose entities
    // exist, so that no record names an insight or estimation the world does not have.
    const ok = pool.list.filter((t) => t.requires.every((r) => state.has(r, time)));
    if (ok.length > 0)
      return rng.weighted(
        ok,
        ok.map((t) => pool.weights[pool.list.indexOf(t)]!),
      );
    const free = this.pool('human', admin, null, null).list.filter((t) => t.requires.length === 0);
    return free.length > 0 ? rng.pick(free) : rng.weighted(pool.list, pool.weights);
  }

  /** Renders every record of a window, in the order the calls were made within each activity. */
  renderWindow(w: Window): RenderedEvent[] {
    const account = this.world.accounts[w.accountIndex]!;
    const state = this.state(account, w.region);
    const rng = this.root.fork(`window/${windowLabel(account.id, w)}`);
    const out: RenderedEvent[] = [];
    for (const call of w.scheduled) {
      const t = this.byLifecycle.get(`${call.change.entity}.${call.change.event}`);
      if (!t) continue;
      const principal = account.principals[call.principal]!;
      const client = rng.weighted(principal.clients, principal.clientWeights);
      out.push(
        this.renderCall(
          t,
          account,
          state,
          w.region,
          principal,
          client,
          call.time,
          rng,
          { change: call.change },
          undefined,
        ),
      );
    }
    // Polls belong to the window, not to each of its parts.
    let remaining = w.part ? w.count : this.renderPolls(w, account, state, rng, out);
    const span = w.end - w.start;
    while (remaining > 0) {
      let act = this.activity(account, rng);
      // A window with room for only a call or two gets automation or a CLI call, not a console visit.
      for (let i = 0; i < 4 && act.minSize > remaining; i++) act = this.activity(account, rng);
      let size = Math.min(act.size, remaining);
      let time = w.start + Math.floor((rng.next() * span) / 1000) * 1000;
      // Now and then CloudTrail delivers a call from a few minutes before the window.
      if (rng.chance(0.004)) time -= rng.int(2, 12) * 60_000;
      const jobStart = time;
      // Throttling comes in runs: a script or job calling in quick succession gets several
      // ThrottlingExceptions in a row before it backs off.
      let throttleFrom = size;
      let throttleTo = size;
      if (act.mayThrottle && remaining >= 2 && rng.chance(this.settings.errorRate * 0.12)) {
        size = Math.max(size, Math.min(remaining, rng.int(3, 8)));
        const run = rng.int(2, size);
        throttleFrom = rng.int(0, size - run);
        throttleTo = throttleFrom + run;
      }
      remaining -= size;
      for (let k = 0; k < size; k++) {
        const opening = k < act.opening.length ? this.byName.get(act.opening[k]!) : undefined;
        const t = opening ?? this.pickTemplate(act, account, state, time, rng);
        const throttled = k >= throttleFrom && k < throttleTo;
        const forced =
          throttled && t.errors.some((e) => e.code === 'ThrottlingException')
            ? 'ThrottlingException'
            : undefined;
        out.push(
          this.renderCall(
            t,
            account,
            state,
            w.region,
            act.principal,
            act.client,
            time,
            rng,
            {},
            forced,
            jobStart,
          ),
        );
        // The dashboard's requests leave together; throttled retries follow each other closely.
        const together = throttled || k + 1 < act.opening.length;
        const gap = together ? rng.int(0, 1) : rng.int(act.gap[0], act.gap[1]);
        time = Math.min(w.end - 1000, time + gap * 1000);
      }
    }
    return out;
  }

  /**
   * Renders the scheduled polls due in the window (reporting Lambdas, dashboard bots, scheduled CI
   * jobs), each poll's operations a second or two apart. Polls take from the window's count, so
   * the run's total stays exact; when the count is smaller than the polls due, the later ones are
   * skipped. Returns the count left for the other activities.
   */
  private renderPolls(
    w: Window,
    account: Account,
    state: RegionState,
    rng: Rng,
    out: RenderedEvent[],
  ): number {
    const due: {
      at: number;
      every: number;
      principal: Principal;
      client: Client;
      operations: readonly string[];
    }[] = [];
    for (const principal of account.principals) {
      for (const poll of principal.polls) {
        if (poll.region !== w.region || poll.operations.length === 0) continue;
        const client =
          principal.clients.find((c) => c.kind !== 'terraform' && c.kind !== 'console') ??
          principal.clients[0];
        if (!client) continue;
        const first = Math.ceil((w.start - poll.phaseMs) / poll.everyMs) * poll.everyMs + poll.phaseMs;
        for (let at = first; at < w.end; at += poll.everyMs)
          due.push({ at, every: poll.everyMs, principal, client, operations: poll.operations });
      }
    }
    // When the count runs short, the rarest polls go first: a skipped hourly report is missed
    // more than a skipped ten-minute one.
    due.sort((a, b) => b.every - a.every || a.at - b.at);
    let remaining = w.count;
    for (const { at, principal, client, operations } of due) {
      let time = at;
      for (const name of operations) {
        const t = this.byName.get(name);
        if (!t || remaining === 0) continue;
        remaining--;
        out.push(
          this.renderCall(t, account, state, w.region, principal, client, time, rng, {}, undefined, at),
        );
        time = Math.min(w.end - 1000, time + rng.int(0, 2) * 1000);
      }
    }
    return remaining;
  }

  /** The userAgent field for a client and template, as JSON text, built once per pair. */
  private userAgentJson(client: Client, t: CompiledTemplate): string {
    let byTemplate = this.agents.get(client);
    if (!byTemplate) this.agents.set(client, (byTemplate = new Map()));
    let ua = byTemplate.get(t);
    if (ua === undefined) {
      let text = client.userAgent.replace('{command}', cliCommandName(t.eventName));
      // The CLI and SDKs name the service they call (md/command#sns.…, api/sns#…): a template of
      // another service gets its own name there (its endpoint prefix; SDKs differ in casing).
      if (t.eventSource !== DEVOPS_GURU) {
        const service = t.eventSource.replace(/\.amazonaws\.com$/, '');
        text = text
          .replace('md/command#devops-guru.', `md/command#${service}.`)
          .replace(/api\/(?:devops-guru|DevOps_Guru|devopsguru)#/, `api/${service}#`);
      }
      ua = JSON.stringify(text);
      byTemplate.set(t, ua);
    }
    return ua;
  }

  /**
   * `,"tlsDetails":{…}` for the endpoint the client reached (the template's service in the Region,
   * ec2.eu-west-1.amazonaws.com) and a negotiated choice, serialised once.
   */
  private tlsJson(eventSource: string, region: string, choice: TlsChoice): string {
    let byRegion = this.tls.get(eventSource);
    if (!byRegion) this.tls.set(eventSource, (byRegion = new Map()));
    let byChoice = byRegion.get(region);
    if (!byChoice) {
      const host = `${eventSource.replace(/\.amazonaws\.com$/, '')}.${region}.amazonaws.com`;
      byChoice = new Map(
        TLS_CHOICES.map((c) => [c, `,"tlsDetails":${JSON.stringify(tlsDetailsOf(c, host))}`]),
      );
      byRegion.set(region, byChoice);
    }
    return byChoice.get(choice)!;
  }

  /** The constant fragments of a template's records, serialised once per template. */
  private fragmentsOf(t: CompiledTemplate): TemplateFragments {
    let f = this.fragments.get(t);
    if (!f) {
      f = {
        sourceAndName: `,"eventSource":${JSON.stringify(t.eventSource)},"eventName":${JSON.stringify(t.eventName)},"awsRegion":`,
        service: t.eventSource.replace(/\.amazonaws\.com$/, ''),
      };
      this.fragments.set(t, f);
    }
    return f;
  }

  /** The fields after requestID/eventID that depend only on the account and readOnly. */
  private tailOf(account: Account, readOnly: boolean): string {
    const key = `${account.id}/${readOnly}`;
    let tail = this.tails.get(key);
    if (tail === undefined) {
      const f = this.fields;
      tail = '';
      if (f.readOnly) tail += `,"readOnly":${readOnly}`;
      if (f.eventTypeAndRecipient) tail += ',"eventType":"AwsApiCall"';
      if (f.managementEvent) tail += ',"managementEvent":true';
      if (f.eventTypeAndRecipient) tail += `,"recipientAccountId":${JSON.stringify(account.id)}`;
      this.tails.set(key, tail);
    }
    return tail;
  }

  /** Read-only permission sets are denied every write they try. */
  private isReadOnlyPrincipal(principal: Principal): boolean {
    let ro = this.readOnlyPrincipals.get(principal.key);
    if (ro === undefined) {
      ro = /ReadOnly|ViewOnly/.test(principal.name);
      this.readOnlyPrincipals.set(principal.key, ro);
    }
    return ro;
  }

  /** Draws whether and how a call fails. */
  private failure(t: CompiledTemplate, principal: Principal, rng: Rng): string | undefined {
    if (t.errors.length === 0) return undefined;
    if (
      !t.readOnly &&
      this.isReadOnlyPrincipal(principal) &&
      t.errors.some((e) => e.code === 'AccessDeniedException')
    ) {
      return 'AccessDeniedException';
    }
    if (!rng.chance(this.settings.errorRate)) return undefined;
    // Throttling comes only in runs (renderWindow); an AWS service acts with its own permissions.
    const codes = t.errors.filter(
      (e) =>
        e.code !== 'ThrottlingException' &&
        !(principal.type === 'AWSService' && e.code === 'AccessDeniedException'),
    );
    if (codes.length === 0) return undefined;
    return rng.weighted(
      codes,
      codes.map((e) => e.weight),
    ).code;
  }

  /**
   * Renders one call as the JSON text of its record. The record is written as text, in
   * CloudTrail's key order, from fragments serialised once (userIdentity per session, the template's
   * names, the account's tail, tlsDetails per Region); only requestParameters, responseElements and
   * the few strings that vary per call go through JSON.stringify.
   */
  private renderCall(
    t: CompiledTemplate,
    account: Account,
    state: RegionState,
    region: string,
    principal: Principal,
    client: Client,
    time: number,
    rng: Rng,
    binding: ViewBinding,
    forcedError: string | undefined,
    jobStart?: number,
  ): RenderedEvent {
    const errorCode = binding.change ? undefined : (forcedError ?? this.failure(t, principal, rng));
    const viaService = client.viaService || principal.type === 'AWSService';
    const session: SessionRecordParts | null =
      principal.type === 'AWSService'
        ? null
        : this.sessions.get(
            principal,
            client,
            time,
            (r) => (principal.vpcEndpointId ? vpcAddress(r) : hostIn(r.pick(principal.sourceRanges), r)),
            jobStart,
          );
    const arn = session ? session.arn : (principal.invokedBy ?? 'AWS Internal');
    const refs = new Map<string, unknown>();
    const ctx: RenderContext = {
      partition: 'aws',
      region,
      account: { id: account.id, alias: account.alias },
      eventTime: time,
      principal: { arn, accountId: account.id, name: principal.name },
      world: new CallWorldView(state, time, rng, {
        ...binding,
        missing: errorCode === 'ResourceNotFoundException',
      }),
      faker: this.faker.use(rng),
    };
    const change = binding.change ? `${binding.change.entity}.${binding.change.event}` : undefined;
    const { requestParameters, responseElements } = t.render(ctx, rng, refs, change);
    const f = this.fields;
    const frag = this.fragmentsOf(t);
    let json = this.head;
    json += session
      ? session.identityJson
      : JSON.stringify({ type: 'AWSService', invokedBy: principal.invokedBy });
    json += `,"eventTime":"${isoSeconds(time)}"`;
    json += frag.sourceAndName;
    json += this.regionJson(region);
    json += ',"sourceIPAddress":';
    json += viaService ? JSON.stringify(client.userAgent) : JSON.stringify(session!.sourceIp);
    json += ',"userAgent":';
    json += viaService ? JSON.stringify(client.userAgent) : this.userAgentJson(client, t);
    if (errorCode) {
      const message = errorMessage(
        errorCode,
        {
          service: frag.service,
          action: t.eventName,
          callerArn: arn,
          resource: t.resource(ctx, rng, refs),
          request: requestParameters,
          eventTime: time,
        },
        rng,
      );
      json += `,"errorCode":${JSON.stringify(errorCode)},"errorMessage":${JSON.stringify(message)}`;
    }
    json += ',"requestParameters":';
    json += JSON.stringify(requestParameters);
    json += ',"responseElements":';
    json += errorCode || t.readOnly ? 'null' : JSON.stringify(responseElements);
    if (f.requestAndEventId) {
      // uuid() yields [0-9a-f-] only: nothing to escape.
      json += `,"requestID":"${rng.uuid()}"`;
      json += `,"eventID":"${rng.uuid()}"`;
    }
    json += this.tailOf(account, t.readOnly);
    if (f.vpcEndpointId && principal.vpcEndpointId && !viaService) {
      json += `,"vpcEndpointId":${JSON.stringify(principal.vpcEndpointId)}`;
      if (f.vpcEndpointAccountId) json += `,"vpcEndpointAccountId":${JSON.stringify(account.id)}`;
    }
    if (f.eventCategory) json += ',"eventCategory":"Management"';
    if (f.tlsAndConsole && !viaService && client.kind !== 'console') {
      json += this.tlsJson(t.eventSource, region, negotiateTls(client.kind, time, rng));
    }
    if (f.tlsAndConsole && session?.console) json += ',"sessionCredentialFromConsole":"true"';
    json += '}';
    return { time, json };
  }

  private regionJson(region: string): string {
    let r = this.regions.get(region);
    if (r === undefined) this.regions.set(region, (r = JSON.stringify(region)));
    return r;
  }

  /**
   * Renders one record of the named operation in the first account's home Region at `time`,
   * for people eyeballing output and for tests of consumers.
   */
  renderOne(eventName: string, time: number, opts: { fail?: string } = {}): Record<string, unknown> {
    const t = this.templates.find((x) => x.eventName === eventName);
    if (!t) throw new Error(`no template for ${eventName}`);
    const rng = this.root.fork(`one/${eventName}/${time}`);
    const account =
      (t.scope === 'organization' ? this.world.accounts.find((a) => a.organizationAdmin) : undefined) ??
      this.world.accounts[0]!;
    const state = this.state(account, account.homeRegion);
    const caller: Caller = t.callers.includes('human') ? 'human' : (t.callers[0] ?? 'human');
    const fits = (p: Principal): boolean =>
      p.actor === caller &&
      p.type !== 'AWSService' &&
      (p.operations === null || p.operations.includes(eventName)) &&
      (t.readOnly || p.configures);
    const principals = account.principals.filter(fits);
    const principal = rng.weighted(
      principals.length ? principals : account.principals,
      (principals.length ? principals : account.principals).map((p) => p.weight),
    );
    const client = principal.clients.length
      ? rng.weighted(principal.clients, principal.clientWeights)
      : {
          kind: 'cloudformation' as const,
          userAgent: principal.invokedBy ?? 'AWS Internal',
          viaService: true,
        };
    const ev = this.renderCall(
      t,
      account,
      state,
      account.homeRegion,
      principal,
      client,
      time,
      rng,
      {},
      opts.fail,
    );
    return JSON.parse(ev.json) as Record<string, unknown>;
  }
}
