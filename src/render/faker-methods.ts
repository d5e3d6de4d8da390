import type { Faker } from '@faker-js/faker';

/** The faker methods templates may call. Kept small: each must be cheap and locale-stable. */
export const FAKER_METHODS: Readonly<Record<string, (f: Faker) => string>> = Object.freeze({
  'word.noun': (f) => f.word.noun(),
  'word.adjective': (f) => f.word.adjective(),
  'word.verb': (f) => f.word.verb(),
  'lorem.word': (f) => f.lorem.word(),
  'lorem.sentence': (f) => f.lorem.sentence(),
  'person.firstName': (f) => f.person.firstName(),
  'person.lastName': (f) => f.person.lastName(),
  'internet.username': (f) => f.internet.username(),
  'internet.domainName': (f) => f.internet.domainName(),
  'company.name': (f) => f.company.name(),
  'commerce.department': (f) => f.commerce.department(),
  'location.city': (f) => f.location.city(),
});
