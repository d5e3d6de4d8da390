import { Faker, en, base } from '@faker-js/faker';
import type { Randomizer } from '@faker-js/faker';
import { Rng } from './rng.js';

/**
 * A faker instance whose randomness comes from whichever `Rng` is current. One instance serves a
 * whole run (building a Faker is costly); `use` points it at the stream of the window being rendered.
 * Faker never sees the global seed API.
 */
export class SeededFaker {
  readonly faker: Faker;
  private current: Rng;

  constructor(rng: Rng) {
    this.current = rng;
    const randomizer: Randomizer = {
      next: () => this.current.next(),
      seed: () => {
        throw new Error('trailsim: faker must not be reseeded; fork an Rng instead');
      },
    };
    this.faker = new Faker({ locale: [en, base], randomizer });
  }

  use(rng: Rng): Faker {
    this.current = rng;
    return this.faker;
  }
}
