import type { Rng } from '../shared/rng.js';
import type { OperationInfo } from './operation.js';

/** Share of a paginated operation's successful calls whose caller reads on past the first page. */
const MORE_PAGES = 0.2;

/**
 * How many pages follow a call: none unless its operation is paginated and the call succeeded
 * (a failed first page returns no token); otherwise, now and then, one to three more, rarely
 * more than one. At most `room`, so that a window keeps its count.
 */
export function followingPages(
  t: OperationInfo,
  errorCode: string | undefined,
  room: number,
  rng: Rng,
): number {
  if (!t.paginated || errorCode !== undefined || room <= 0 || !rng.chance(MORE_PAGES)) return 0;
  return Math.min(room, rng.weighted(PAGES, PAGE_WEIGHTS));
}

const PAGES = [1, 2, 3];
const PAGE_WEIGHTS = [6, 3, 1];
