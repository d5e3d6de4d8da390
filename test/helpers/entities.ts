import { defaultTemplateDir } from '../../src/render/template.js';
import { buildEntityRegistry, type EntityRegistry } from '../../src/world/entity-registry.js';
import { loadServices } from '../../src/world/service.js';

/** The entity registry of trailsim's own templates (templates/devops-guru/service.json). */
export function defaultEntities(): EntityRegistry {
  return buildEntityRegistry(loadServices([defaultTemplateDir()]));
}
