export { Rng } from './rng.js';
export { SeededFaker } from './faker.js';
