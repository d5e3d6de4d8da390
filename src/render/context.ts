import type { Faker } from '@faker-js/faker';
import type { Rng } from '../shared/rng.js';
import type { WorldView } from '../world/refs.js';

export type { EntityRef, WorldView } from '../world/refs.js';

/**
 * What a template may read while it renders one event. Templates reach these values through the
 * `ref` generator with a dotted path (`account.id`, `region`, `<entity>.<field>`, ...); the engine
 * fills the context from the world and the plan, the template never computes them itself.
 */
export interface RenderContext {
  /** The AWS partition, `aws` for every Region trailsim simulates. */
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

export type { Rng };
