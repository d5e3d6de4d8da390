import type { Faker, Randomizer } from '@faker-js/faker';
// The package's main entry loads every locale (hundreds of ms and tens of MB per thread); the
// English entry loads only English and the base definitions, whose merge is `rawDefinitions`.
import { faker as english } from '@faker-js/faker/locale/en';
import { Rng } from './rng.js';

const FakerClass = english.constructor as new (options: {
  locale: Faker['rawDefinitions'];
  randomizer: Randomizer;
}) => Faker;

/**
 * A faker instance whose randomness comes from whichever `Rng` is current. One instance serves a
 * whole run (building a Faker is costly); `use` points it at the stream of the window being rendered.
 * Faker never sees the global seed API.
 *
 * @example
 * const f = new SeededFaker(new Rng(42));
 * f.use(new Rng(42).fork('window')).person.firstName(); // the same name for this seed and label
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
    this.faker = new FakerClass({ locale: english.rawDefinitions, randomizer });
  }

  use(rng: Rng): Faker {
    this.current = rng;
    return this.faker;
  }
}
