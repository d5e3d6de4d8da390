import type { TrailLocation } from '../layout/keys.js';
import type { Window } from '../plan/window.js';
import type { Renderer } from '../render/renderer.js';
import type { Scenario } from '../scenario/scenario.js';
import type { World } from '../world/world.js';

/** What edge cases need of a prepared run. */
export interface EdgeCaseRun {
  scenario: Scenario;
  world: World;
  location: TrailLocation;
  /** Renders a burst file's records. */
  renderer: Renderer;
  /** The run's windows in plan order (a fresh pass each call). */
  windows: () => Iterable<Window>;
}
