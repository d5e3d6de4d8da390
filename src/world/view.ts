import type { Rng } from '../shared/rng.js';
import type { ChannelRef, InsightRef, TagRef, WorldView } from './refs.js';
import type { Lifecycle, ScheduledCall } from './lifecycle.js';
import { insightAt, type Account, type World } from './world.js';
import { devopsGuruId, type RegionResources } from './resources.js';

/**
 * The world's state for one account and Region, replayed from its planned changes so that a view
 * at any time can be built without rendering what came before.
 */
export class RegionState {
  private readonly deleted = new Map<string, number>();
  private readonly addedChannels: { channel: ChannelRef; from: number; to: number }[] = [];
  /** Channels of before the period removed during it (by an incident), by ID: when. */
  private readonly removedChannels = new Map<string, number>();
  private readonly addedStacks: { name: string; from: number; to: number }[] = [];
  private readonly removedStacks: { name: string; from: number }[] = [];
  private costEstimationFrom = Infinity;
  private live: { from: number; to: number; list: readonly InsightRef[] } | undefined;
  /** The account's resources in the Region, looked up once rather than on every question. */
  readonly resources: RegionResources;

  constructor(
    readonly world: World,
    readonly account: Account,
    readonly region: string,
    calls: readonly ScheduledCall[],
  ) {
    this.resources = account.resources[region]!;
    for (const c of calls) {
      if (c.accountId !== account.id || c.region !== region) continue;
      const ch = c.change;
      if (ch.entity === 'channel' && ch.event === 'create')
        this.addedChannels.push({ channel: ch.channel, from: c.time, to: Infinity });
      else if (ch.entity === 'channel') {
        const a = this.addedChannels.find((x) => x.channel.id === ch.channel.id);
        if (a) a.to = c.time;
        else this.removedChannels.set(ch.channel.id, c.time);
      } else if (ch.entity === 'insight') this.deleted.set(ch.insight.id, c.time);
      else if (ch.entity === 'stack' && ch.event === 'create')
        this.addedStacks.push({ name: ch.stackName, from: c.time, to: Infinity });
      else if (ch.entity === 'stack') {
        const a = this.addedStacks.find((x) => x.name === ch.stackName);
        if (a) a.to = c.time;
        else this.removedStacks.push({ name: ch.stackName, from: c.time });
      } else if (ch.entity === 'costEstimation')
        this.costEstimationFrom = Math.min(this.costEstimationFrom, c.time);
    }
  }

  /**
   * The insights that exist at `t`, oldest first. The set changes only when an insight starts or
   * is deleted, so the last answer is kept with the span of time it holds for; calls close in time
   * share it. Callers must not change the list.
   */
  insightsAt(t: number): readonly InsightRef[] {
    const cached = this.live;
    if (cached && cached.from <= t && t < cached.to) return cached.list;
    const list: InsightRef[] = [];
    let from = -Infinity;
    let to = Infinity;
    for (const i of this.resources.insights) {
      if (i.startTime > t) {
        to = Math.min(to, i.startTime);
        break;
      }
      from = Math.max(from, i.startTime);
      // An insight never deleted is gone at Infinity. Each step below runs for every insight
      // (docs/hot-path.md, rule 4).
      const gone = this.deleted.get(i.id) ?? Infinity;
      const deleted = gone <= t;
      from = Math.max(from, deleted ? gone : from);
      if (deleted) continue;
      to = Math.min(to, gone);
      list.push(i);
    }
    this.live = { from, to, list };
    return list;
  }

  channelsAt(t: number): ChannelRef[] {
    const out =
      this.removedChannels.size > 0
        ? this.resources.channels.filter((c) => !((this.removedChannels.get(c.id) ?? Infinity) <= t))
        : [...this.resources.channels];
    for (const a of this.addedChannels) if (a.from < t && t < a.to) out.push(a.channel);
    return out;
  }

  stacksAt(t: number): string[] {
    const out = this.resources.stacks.filter(
      (s) => !this.removedStacks.some((r) => r.name === s && r.from <= t),
    );
    for (const a of this.addedStacks) if (a.from <= t && t < a.to) out.push(a.name);
    return out;
  }

  hasCostEstimation(t: number): boolean {
    return this.costEstimationFrom < t;
  }

  /**
   * Whether an entity of a kind a template `requires` exists at `t`. Asked several times per call,
   * so it answers without building the lists the `…At` methods return.
   */
  has(kind: string, t: number): boolean {
    switch (kind) {
      case 'costEstimation':
        return this.hasCostEstimation(t);
      case 'channel':
        for (const c of this.resources.channels)
          if ((this.removedChannels.get(c.id) ?? Infinity) > t) return true;
        for (const a of this.addedChannels) if (a.from < t && t < a.to) return true;
        return false;
      case 'insight':
        for (const i of this.resources.insights) {
          if (i.startTime > t) return false;
          const gone = this.deleted.get(i.id);
          if (gone === undefined || gone > t) return true;
        }
        return false;
      case 'stack':
        for (const s of this.resources.stacks)
          if (!this.removedStacks.some((r) => r.name === s && r.from <= t)) return true;
        for (const a of this.addedStacks) if (a.from <= t && t < a.to) return true;
        return false;
      default:
        return true;
    }
  }
}

/**
 * The world as one call sees it. Each getter resolves once per call, so every field of a record
 * names the same insight, channel or stack set.
 */
export class CallWorldView implements WorldView {
  private cachedInsight: InsightRef | undefined;
  private cachedChannel: ChannelRef | undefined;
  private cachedStacks: string[] | undefined;

  /**
   * `change` is the change the call makes, for calls planned by the world; `missing` says that the
   * call fails with ResourceNotFoundException, so IDs it names must not exist.
   */
  constructor(
    private state: RegionState,
    private time: number,
    private rng: Rng,
    private change: Lifecycle | null = null,
    private missing = false,
  ) {}

  /**
   * Points the view at another call and forgets what it resolved: a renderer keeps one view and
   * rebinds it per call rather than allocating one.
   */
  rebind(state: RegionState, time: number, rng: Rng, change: Lifecycle | null, missing: boolean): void {
    this.state = state;
    this.time = time;
    this.rng = rng;
    this.change = change;
    this.missing = missing;
    this.cachedInsight = undefined;
    this.cachedChannel = undefined;
    this.cachedStacks = undefined;
  }

  insight(): InsightRef {
    if (this.cachedInsight) return this.cachedInsight;
    const change = this.change;
    if (change?.entity === 'insight') return (this.cachedInsight = insightAt(change.insight, this.time));
    const live = this.state.insightsAt(this.time);
    if (this.missing || live.length === 0) {
      const id = devopsGuruId(this.rng);
      return (this.cachedInsight = {
        id,
        type: 'REACTIVE',
        severity: 'LOW',
        status: 'CLOSED',
        startTime: this.time - 86_400_000,
        endTime: this.time - 3_600_000,
        anomalyIds: [devopsGuruId(this.rng)],
        stackNames:
          this.state.resources.stacks.length > 0 ? [this.rng.pick(this.state.resources.stacks)] : [],
      });
    }
    // Recent and open insights draw the most attention.
    const recent = live.slice(-8);
    const pick = this.rng.chance(0.75) ? this.rng.pick(recent) : this.rng.pick(live);
    return (this.cachedInsight = insightAt(pick, this.time));
  }

  anomalyId(): string {
    return this.rng.pick(this.insight().anomalyIds);
  }

  channel(): ChannelRef {
    if (this.cachedChannel) return this.cachedChannel;
    const change = this.change;
    if (change?.entity === 'channel') return (this.cachedChannel = change.channel);
    const live = this.state.channelsAt(this.time);
    if (this.missing || live.length === 0)
      return (this.cachedChannel = { id: this.rng.uuid(), topicArn: this.topicArn() });
    return (this.cachedChannel = this.rng.pick(live));
  }

  newChannel(): ChannelRef {
    return this.channel();
  }

  topicArn(): string {
    const a = this.state.account;
    return `arn:aws:sns:${this.state.region}:${a.id}:${this.rng.pick(['devops-guru-notifications', 'ops-alerts', 'sre-insights'])}`;
  }

  stackNames(): readonly string[] {
    if (this.cachedStacks) return this.cachedStacks;
    const change = this.change;
    if (change?.entity === 'stack' || change?.entity === 'costEstimation')
      return (this.cachedStacks = [change.stackName]);
    const stacks = this.state.stacksAt(this.time);
    return (this.cachedStacks = stacks.length > 0 ? stacks : ['*']);
  }

  tags(): readonly TagRef[] {
    return this.state.resources.tags;
  }

  organizationAccountIds(): readonly string[] {
    const org = this.state.world.organization;
    if (!org) return [this.state.account.id];
    return this.state.world.accounts.map((a) => a.id);
  }

  organizationalUnitIds(): readonly string[] {
    return this.state.world.organization?.unitIds ?? [];
  }

  kmsKeyArn(): string {
    return this.state.resources.kmsKeyArn;
  }
}
