import { Rng } from '../random/rng.js';
import { SeededFaker } from '../random/faker.js';
import type { CompiledTemplate, Caller } from './template.js';
import type { RenderContext } from './context.js';
import { SessionCache, type SessionRecordParts } from './identity.js';
import { errorMessage } from './errors.js';
import { negotiateTls, tlsDetailsOf, TLS_CHOICES, type TlsChoice } from './tls.js';
import { fieldsOf, type VersionFields } from './version.js';
import { isoSecondsInto } from './time.js';
import { ByteWriter, utf8 } from './byte-writer.js';
import { RECORDS_CLOSE, RECORDS_OPEN } from '../layout/log-file.js';
import { cliCommandName, type Client } from '../world/clients.js';
import { hostIn, vpcAddress } from '../world/network.js';
import type { Principal } from '../world/principal.js';
import type { Account, World } from '../world/world.js';
import type { Lifecycle, ScheduledCall } from '../world/lifecycle.js';
import { CallWorldView, RegionState } from '../world/view.js';
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
  /**
   * The earliest time a call may be stamped, when the window is part of a delivery that began
   * before it (a stream's interval): CloudTrail's occasional late call is then kept inside the
   * delivery. Absent in a batch run, where a window is its own delivery.
   */
  earliest?: number;
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

/** A window's records as the text of one log file, with where each record lies in it. */
export interface RenderedRecords {
  /**
   * `{"Records":[…]}` in UTF-8: a view into the renderer's buffer. This and the lists below are
   * valid until the renderer renders again (copy them to keep them).
   */
  body: Buffer;
  /** Record i is `body[starts[i], ends[i])`. */
  starts: number[];
  ends: number[];
  /** Each record's eventTime, epoch ms. */
  times: number[];
}

// Constant pieces of a record, encoded once.
const EVENT_TIME = utf8(',"eventTime":"');
const USER_AGENT = ',"userAgent":';
const REQUEST_PARAMETERS = utf8(',"requestParameters":');
const REQUEST_NULL = utf8(',"requestParameters":null');
const RESPONSE_ELEMENTS = utf8(',"responseElements":');
const RESPONSE_NULL = utf8(',"responseElements":null');
const REQUEST_ID = utf8(',"requestID":"');
const EVENT_ID = utf8('","eventID":"');
const EVENT_CATEGORY_TEXT = ',"eventCategory":"Management"';
const EVENT_CATEGORY = utf8(EVENT_CATEGORY_TEXT);
const FROM_CONSOLE_CLOSE = utf8(',"sessionCredentialFromConsole":"true"}');
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

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

/** The callers a template may name, in a fixed order (an index into a principal's pools). */
const CALLERS: readonly Caller[] = ['human', 'automation', 'service'];

// Weights are Float64Arrays, as Rng.weighted explains.
interface TemplatePool {
  list: CompiledTemplate[];
  weights: Float64Array;
}

/** An account's principals by identity type, for drawing who acts. */
interface AccountCast {
  /** One weight per entry of byType: the identity mix's share of that type. */
  typeWeights: Float64Array;
  byType: { list: Principal[]; weights: Float64Array }[];
}

/** Whether every entity the template requires exists in the Region at `time`. */
function meetsNeeds(t: CompiledTemplate, state: RegionState, time: number): boolean {
  const needs = t.requires;
  for (let i = 0; i < needs.length; i++) if (!state.has(needs[i]!, time)) return false;
  return true;
}

/** An account's record tails (see `Renderer.tailsOf`), each indexed by `readOnly ? 1 : 0`. */
interface AccountTails {
  bare: [Buffer, Buffer];
  withCategory: [Buffer, Buffer];
}

interface TemplateFragments {
  /**
   * By Region: `","eventSource":…,"eventName":…,"awsRegion":"<region>","sourceIPAddress":`
   * (closing eventTime's quote first).
   */
  sourceNameAndRegion: Map<string, Buffer>;
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
  private readonly candidates = new Map<Principal | null, TemplatePool[]>();
  private readonly casts = new Map<Account, AccountCast>();
  private readonly agents = new Map<Client, Map<CompiledTemplate, Buffer>>();
  // Constant JSON fragments of records, built on first use (see renderCall).
  private readonly sessions: SessionCache;
  private readonly head: Buffer;
  // The window being rendered: its bytes, and where each record starts and ends.
  private readonly out = new ByteWriter();
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly times: number[] = [];
  private readonly serviceAgents = new Map<string, Buffer>();
  private readonly sourceIps = new Map<Principal, (rng: Rng) => string>();
  private readonly accountRefs = new Map<Account, RenderContext['account']>();
  private readonly refs = new Map<string, unknown>();
  private readonly view: CallWorldView;
  private readonly ctx: RenderContext;
  private readonly serviceIdentities = new Map<Principal, Buffer>();
  private readonly tls = new Map<string, Map<string, Map<TlsChoice, Buffer>>>();
  private readonly fragments = new Map<CompiledTemplate, TemplateFragments>();
  private readonly tails = new Map<Account, AccountTails>();
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
    this.head = utf8(`{"eventVersion":${JSON.stringify(settings.eventVersion)},"userIdentity":`);
    const anyAccount = world.accounts[0]!;
    this.view = new CallWorldView(
      new RegionState(world, anyAccount, anyAccount.homeRegion, []),
      0,
      this.root,
    );
    this.ctx = {
      partition: 'aws',
      region: '',
      account: { id: '', alias: '' },
      eventTime: 0,
      principal: { arn: '', accountId: '', name: '' },
      world: this.view,
      faker: this.faker.faker,
    };
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
  ): TemplatePool {
    const ops = principal?.operations ?? null;
    // Principals without their own list of operations share one set of pools.
    const owner = ops ? principal! : null;
    let pools = this.candidates.get(owner);
    if (!pools) this.candidates.set(owner, (pools = []));
    const index = CALLERS.indexOf(caller) * 6 + (admin ? 3 : 0) + (readOnly === null ? 2 : readOnly ? 1 : 0);
    let p = pools[index];
    if (!p) {
      const list = this.templates.filter(
        (t) =>
          !t.scheduledOnly &&
          t.callers.includes(caller) &&
          (admin || t.scope !== 'organization') &&
          (readOnly === null || t.readOnly === readOnly) &&
          (ops === null || ops.includes(t.eventName)),
      );
      const weights = Float64Array.from(list, (t) => this.settings.operationWeights[t.eventName] ?? t.weight);
      p = { list, weights };
      pools[index] = p;
    }
    return p;
  }

  /** An account's principals grouped by identity type, with the draw weights, built once. */
  private castOf(account: Account): AccountCast {
    let cast = this.casts.get(account);
    if (!cast) {
      const mix = this.world.identityMix;
      const types = [...new Set(account.principals.map((p) => p.type))].filter((t) => (mix[t] ?? 0) > 0);
      const byType = types.map((type) => {
        const list = account.principals.filter((p) => p.type === type);
        return { list, weights: Float64Array.from(list, (p) => p.weight) };
      });
      cast = { typeWeights: Float64Array.from(types, (t) => mix[t] ?? 0), byType };
      this.casts.set(account, cast);
    }
    return cast;
  }

  private pickPrincipal(account: Account, rng: Rng): Principal {
    const cast = this.castOf(account);
    const ofType = rng.weighted(cast.byType, cast.typeWeights);
    return rng.weighted(ofType.list, ofType.weights);
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
      if (meetsNeeds(t, state, time)) return t;
    }
    // Rarely reached (no insight yet, no cost estimation started): only operations whose entities
    // exist, so that no record names an insight or estimation the world does not have.
    const ok = pool.list.filter((t) => meetsNeeds(t, state, time));
    if (ok.length > 0)
      return rng.weighted(
        ok,
        Float64Array.from(ok, (t) => pool.weights[pool.list.indexOf(t)]!),
      );
    const free = this.pool('human', admin, null, null).list.filter((t) => t.requires.length === 0);
    return free.length > 0 ? rng.pick(free) : rng.weighted(pool.list, pool.weights);
  }

  /**
   * Renders every record of a window, in the order the calls were made within each activity, as
   * the text of a log file, `{"Records":[…]}`, in UTF-8.
   */
  renderRecords(w: Window): RenderedRecords {
    const account = this.world.accounts[w.accountIndex]!;
    const state = this.state(account, w.region);
    const rng = this.root.fork(`window/${windowLabel(account.id, w)}`);
    this.out.reset();
    this.out.bytes(RECORDS_OPEN);
    // Reused from window to window, as the bytes are: a result is read before the next render.
    this.starts.length = 0;
    this.ends.length = 0;
    this.times.length = 0;
    for (const call of w.scheduled) {
      const label = `${call.change.entity}.${call.change.event}`;
      const t = this.byLifecycle.get(label);
      if (!t) continue;
      const principal = account.principals[call.principal]!;
      const client = rng.weighted(principal.clients, principal.clientWeights);
      this.renderCall(
        t,
        account,
        state,
        w.region,
        principal,
        client,
        call.time,
        rng,
        undefined,
        undefined,
        call.change,
        label,
      );
    }
    // Polls belong to the window, not to each of its parts. (`count` is read on every window, not
    // only on parts: a part first comes hours into a busy run, long after V8 has optimised this.)
    let remaining = w.count;
    if (!w.part) remaining = this.renderPolls(w, account, state, rng);
    // Each activity is rendered by a method of its own, which V8 optimises on its own: when the
    // first planned call, hours into a run, makes V8 recompile this method (the loop above meets it
    // then), the recompilation is of this short loop, not of the activities' code as well.
    while (remaining > 0) remaining -= this.renderActivity(w, account, state, rng, remaining);
    this.out.bytes(RECORDS_CLOSE);
    return { body: this.out.view(), starts: this.starts, ends: this.ends, times: this.times };
  }

  /**
   * Renders one activity of a window (a principal's run of calls) as records, at most `remaining`
   * calls; returns how many it rendered.
   */
  private renderActivity(
    w: Window,
    account: Account,
    state: RegionState,
    rng: Rng,
    remaining: number,
  ): number {
    const span = w.end - w.start;
    let act = this.activity(account, rng);
    // A window with room for only a call or two gets automation or a CLI call, not a console visit.
    for (let i = 0; i < 4 && act.minSize > remaining; i++) act = this.activity(account, rng);
    let size = Math.min(act.size, remaining);
    let time = w.start + Math.floor((rng.next() * span) / 1000) * 1000;
    // Now and then CloudTrail delivers a call from a few minutes before the window.
    if (rng.chance(0.004)) {
      time -= rng.int(2, 12) * 60_000;
      if (w.earliest !== undefined && time < w.earliest) time = Math.ceil(w.earliest / 1000) * 1000;
    }
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
    for (let k = 0; k < size; k++) {
      const opening = k < act.opening.length ? this.byName.get(act.opening[k]!) : undefined;
      const t = opening ?? this.pickTemplate(act, account, state, time, rng);
      const throttled = k >= throttleFrom && k < throttleTo;
      const forced =
        throttled && t.errors.some((e) => e.code === 'ThrottlingException')
          ? 'ThrottlingException'
          : undefined;
      this.renderCall(t, account, state, w.region, act.principal, act.client, time, rng, forced, jobStart);
      // The dashboard's requests leave together; throttled retries follow each other closely.
      const together = throttled || k + 1 < act.opening.length;
      const gap = together ? rng.int(0, 1) : rng.int(act.gap[0], act.gap[1]);
      time = Math.min(w.end - 1000, time + gap * 1000);
    }
    return size;
  }

  /** A window's records one by one, as JSON text with their times (for line-by-line output). */
  renderWindow(w: Window): RenderedEvent[] {
    const r = this.renderRecords(w);
    return r.times.map((time, i) => ({ time, json: r.body.toString('utf8', r.starts[i], r.ends[i]) }));
  }

  /**
   * Renders the scheduled polls due in the window (reporting Lambdas, dashboard bots, scheduled CI
   * jobs), each poll's operations a second or two apart. Polls take from the window's count, so
   * the run's total stays exact; when the count is smaller than the polls due, the later ones are
   * skipped. Returns the count left for the other activities.
   */
  private renderPolls(w: Window, account: Account, state: RegionState, rng: Rng): number {
    const due: {
      at: number;
      every: number;
      principal: Principal;
      client: Client;
      operations: readonly string[];
    }[] = [];
    for (const principal of account.principals) {
      // A type the identity mix leaves out makes no calls, scheduled ones included.
      if ((this.world.identityMix[principal.type] ?? 0) <= 0) continue;
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
        this.renderCall(t, account, state, w.region, principal, client, time, rng, undefined, at);
        time = Math.min(w.end - 1000, time + rng.int(0, 2) * 1000);
      }
    }
    return remaining;
  }

  /** `,"userAgent":"…"`: the client's user agent for the template's operation, built once per pair. */
  private userAgentBytes(client: Client, t: CompiledTemplate): Buffer {
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
      ua = utf8(`${USER_AGENT}${JSON.stringify(text)}`);
      byTemplate.set(t, ua);
    }
    return ua;
  }

  /**
   * `,"tlsDetails":{…}}` for the endpoint the client reached (the template's service in the Region,
   * ec2.eu-west-1.amazonaws.com) and a negotiated choice, serialised once; the last field of a
   * record, so its closing brace comes with it.
   */
  private tlsBytes(eventSource: string, region: string, choice: TlsChoice): Buffer {
    let byRegion = this.tls.get(eventSource);
    if (!byRegion) this.tls.set(eventSource, (byRegion = new Map()));
    let byChoice = byRegion.get(region);
    if (!byChoice) {
      const host = `${eventSource.replace(/\.amazonaws\.com$/, '')}.${region}.amazonaws.com`;
      byChoice = new Map(
        TLS_CHOICES.map((c) => [c, utf8(`,"tlsDetails":${JSON.stringify(tlsDetailsOf(c, host))}}`)]),
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
        sourceNameAndRegion: new Map(),
        service: t.eventSource.replace(/\.amazonaws\.com$/, ''),
      };
      this.fragments.set(t, f);
    }
    return f;
  }

  /**
   * The fields after requestID/eventID that depend only on the account and readOnly (by
   * `readOnly ? 1 : 0`), from the eventID's closing quote on; `withCategory` adds eventCategory,
   * which follows them unless a VPC endpoint's fields come in between.
   */
  private tailsOf(account: Account): AccountTails {
    let tails = this.tails.get(account);
    if (tails === undefined) {
      const f = this.fields;
      const tail = (ro: boolean, category: boolean): Buffer => {
        let text = f.requestAndEventId ? '"' : '';
        if (f.readOnly) text += `,"readOnly":${ro}`;
        if (f.eventTypeAndRecipient) text += ',"eventType":"AwsApiCall"';
        if (f.managementEvent) text += ',"managementEvent":true';
        if (f.eventTypeAndRecipient) text += `,"recipientAccountId":${JSON.stringify(account.id)}`;
        if (category && f.eventCategory) text += EVENT_CATEGORY_TEXT;
        return utf8(text);
      };
      tails = {
        bare: [tail(false, false), tail(true, false)],
        withCategory: [tail(false, true), tail(true, true)],
      };
      this.tails.set(account, tails);
    }
    return tails;
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
      Float64Array.from(codes, (e) => e.weight),
    ).code;
  }

  /**
   * Renders one call as its record, appended to the window's bytes. The record is written in
   * CloudTrail's key order from fragments encoded once (userIdentity per session, the template's
   * names, the account's tail, tlsDetails per Region); only requestParameters, responseElements and
   * the few strings that vary per call are serialised and encoded per call. `change` is the world
   * change a planned call makes, and `label` its `entity.event` as templates name it: computed by
   * the caller, so that the first planned call, hours into a run, runs no code here that V8 has not
   * seen before (it would throw this away, optimised, to learn it).
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
    forcedError?: string,
    jobStart?: number,
    change: Lifecycle | null = null,
    label?: string,
  ): void {
    const errorCode = change ? undefined : (forcedError ?? this.failure(t, principal, rng));
    const viaService = client.viaService || principal.type === 'AWSService';
    const session: SessionRecordParts | null =
      principal.type === 'AWSService'
        ? null
        : this.sessions.get(principal, client, time, this.sourceIpOf(principal), jobStart);
    const arn = session ? session.arn : (principal.invokedBy ?? 'AWS Internal');
    // One context, view and refs map serve every call, rebound here: nothing keeps them past it.
    const refs = this.refs;
    // clear() allocates a fresh table even when the map is empty.
    if (refs.size > 0) refs.clear();
    const ctx = this.ctx;
    ctx.region = region;
    ctx.account = this.accountRef(account);
    ctx.eventTime = time;
    ctx.principal.arn = arn;
    ctx.principal.accountId = account.id;
    ctx.principal.name = principal.name;
    this.view.rebind(state, time, rng, change, errorCode === 'ResourceNotFoundException');
    ctx.faker = this.faker.use(rng);
    const { requestParameters, responseElements } = t.render(ctx, rng, refs, label);
    const f = this.fields;
    const frag = this.fragmentsOf(t);
    const out = this.out;
    if (this.times.length > 0) out.byte(COMMA);
    this.starts.push(out.length);
    this.times.push(time);
    out.bytes(this.head);
    out.bytes(session ? session.identityBytes : this.serviceIdentity(principal));
    out.bytes(EVENT_TIME);
    const at = out.claim(20);
    isoSecondsInto(out.buffer, at, time);
    out.bytes(this.sourceNameAndRegion(frag, t, region));
    if (viaService) {
      out.bytes(this.serviceAgentBytes(client));
    } else {
      out.bytes(session!.sourceIpBytes);
      out.bytes(this.userAgentBytes(client, t));
    }
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
      out.text(`,"errorCode":${JSON.stringify(errorCode)},"errorMessage":${JSON.stringify(message)}`);
    }
    // A quarter of calls have no parameters: a constant, rather than serialising and encoding null.
    if (requestParameters === null) {
      out.bytes(REQUEST_NULL);
    } else {
      out.bytes(REQUEST_PARAMETERS);
      out.text(JSON.stringify(requestParameters));
    }
    if (errorCode || t.readOnly) {
      out.bytes(RESPONSE_NULL);
    } else {
      out.bytes(RESPONSE_ELEMENTS);
      out.text(JSON.stringify(responseElements));
    }
    if (f.requestAndEventId) {
      out.bytes(REQUEST_ID);
      const requestId = out.claim(36);
      rng.uuidInto(out.buffer, requestId);
      out.bytes(EVENT_ID);
      const eventId = out.claim(36);
      rng.uuidInto(out.buffer, eventId);
    }
    const tails = this.tailsOf(account);
    const ro = t.readOnly ? 1 : 0;
    if (f.vpcEndpointId && principal.vpcEndpointId && !viaService) {
      out.bytes(tails.bare[ro]);
      out.text(`,"vpcEndpointId":${JSON.stringify(principal.vpcEndpointId)}`);
      if (f.vpcEndpointAccountId) out.text(`,"vpcEndpointAccountId":${JSON.stringify(account.id)}`);
      if (f.eventCategory) out.bytes(EVENT_CATEGORY);
    } else {
      out.bytes(tails.withCategory[ro]);
    }
    // The record's closing brace comes with its last fragment. A session is a console session
    // exactly when the client is the console, so a record gets tlsDetails or
    // sessionCredentialFromConsole, never both.
    if (f.tlsAndConsole && !viaService && client.kind !== 'console') {
      out.bytes(this.tlsBytes(t.eventSource, region, negotiateTls(client.kind, time, rng)));
    } else if (f.tlsAndConsole && session?.console) {
      out.bytes(FROM_CONSOLE_CLOSE);
    } else {
      out.byte(CLOSE_BRACE);
    }
    this.ends.push(out.length);
  }

  /** Draws a new session's source address: an endpoint in the VPC, or a host in the principal's ranges. */
  private sourceIpOf(principal: Principal): (rng: Rng) => string {
    let f = this.sourceIps.get(principal);
    if (!f) {
      f = (r) => (principal.vpcEndpointId ? vpcAddress(r) : hostIn(r.pick(principal.sourceRanges), r));
      this.sourceIps.set(principal, f);
    }
    return f;
  }

  private accountRef(account: Account): RenderContext['account'] {
    let ref = this.accountRefs.get(account);
    if (!ref) this.accountRefs.set(account, (ref = { id: account.id, alias: account.alias }));
    return ref;
  }

  /** The template's fragment from eventSource to sourceIPAddress's key, for the Region. */
  private sourceNameAndRegion(frag: TemplateFragments, t: CompiledTemplate, region: string): Buffer {
    let b = frag.sourceNameAndRegion.get(region);
    if (b === undefined) {
      b = utf8(
        `","eventSource":${JSON.stringify(t.eventSource)},"eventName":${JSON.stringify(t.eventName)}` +
          `,"awsRegion":${JSON.stringify(region)},"sourceIPAddress":`,
      );
      frag.sourceNameAndRegion.set(region, b);
    }
    return b;
  }

  /**
   * A call made through a service shows the service's name twice, as the source address and as
   * the user agent: `"<service>","userAgent":"<service>"`.
   */
  private serviceAgentBytes(client: Client): Buffer {
    let b = this.serviceAgents.get(client.userAgent);
    if (b === undefined) {
      const agent = JSON.stringify(client.userAgent);
      this.serviceAgents.set(client.userAgent, (b = utf8(`${agent}${USER_AGENT}${agent}`)));
    }
    return b;
  }

  /** The userIdentity of an AWS service acting on its own. */
  private serviceIdentity(principal: Principal): Buffer {
    let b = this.serviceIdentities.get(principal);
    if (b === undefined) {
      b = utf8(JSON.stringify({ type: 'AWSService', invokedBy: principal.invokedBy }));
      this.serviceIdentities.set(principal, b);
    }
    return b;
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
    this.out.reset();
    this.starts.length = 0;
    this.ends.length = 0;
    this.times.length = 0;
    this.renderCall(t, account, state, account.homeRegion, principal, client, time, rng, opts.fail);
    return JSON.parse(this.out.textFrom(0)) as Record<string, unknown>;
  }
}
