import type { Rng } from '../shared/rng.js';
import type { InsightRef } from './refs.js';
import type { Account } from './world.js';

/**
 * An insight ID a caller may hold that names nothing in this Region at `t`, for a call that fails
 * with ResourceNotFoundException: most often one deleted before `t` (a saved link, a script's
 * cached list), else one of the same account's insights in another Region that does not exist
 * here (a link followed in the wrong Region). Undefined when the world has neither.
 */
export function staleInsightOf(
  here: readonly InsightRef[],
  deleted: ReadonlyMap<string, number>,
  account: Account,
  region: string,
  t: number,
  rng: Rng,
): InsightRef | undefined {
  const gone = here.filter((i) => (deleted.get(i.id) ?? Infinity) <= t);
  if (gone.length > 0 && rng.chance(0.7)) return rng.pick(gone);
  const elsewhere: InsightRef[] = [];
  for (const [r, res] of Object.entries(account.resources))
    if (r !== region) for (const i of res.insights) if (i.startTime <= t) elsewhere.push(i);
  if (elsewhere.length > 0) return rng.pick(elsewhere);
  return gone.length > 0 ? rng.pick(gone) : undefined;
}
