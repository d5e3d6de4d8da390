/**
 * Denials by caller: what an analyst reads first when AccessDenied shows up. For each caller
 * denied at least once, how many calls were denied, which actions, and how many calls of those
 * same actions the caller made successfully (a principal denied and allowed the same action is a
 * policy change, or a sign something is off).
 */

const DENIED = /AccessDenied|Unauthorized|NotAuthorized|Forbidden/i;
const TOP = 15;

/** Per caller, per action: calls denied and calls that succeeded. Only counts are kept. */
export type DenialCounts = Record<string, Record<string, { denied: number; allowed: number }>>;

/** Counts one record: `caller` as stats names principals, `action` its eventName. */
export function countDenial(
  counts: DenialCounts,
  caller: string,
  action: string,
  errorCode: string | undefined,
): void {
  const denied = errorCode !== undefined && DENIED.test(errorCode);
  if (errorCode !== undefined && !denied) return;
  const byAction = (counts[caller] ??= {});
  const c = (byAction[action] ??= { denied: 0, allowed: 0 });
  if (denied) c.denied++;
  else c.allowed++;
}

/** The report's section, callers with the most denials first. */
export function formatDenials(counts: DenialCounts): string[] {
  const rows = Object.entries(counts)
    .map(([caller, byAction]) => {
      const actions = Object.entries(byAction).filter(([, c]) => c.denied > 0);
      return {
        caller,
        denied: actions.reduce((s, [, c]) => s + c.denied, 0),
        allowed: actions.reduce((s, [, c]) => s + c.allowed, 0),
        actions: actions.map(([a]) => a).sort(),
      };
    })
    .filter((r) => r.denied > 0)
    .sort((a, b) => b.denied - a.denied || (a.caller < b.caller ? -1 : 1));
  const lines = [`Denials by caller (${rows.length})`];
  const width = Math.max(8, ...rows.slice(0, TOP).map((r) => r.caller.length));
  for (const r of rows.slice(0, TOP))
    lines.push(
      `  ${r.caller.padEnd(width)}  ${String(r.denied).padStart(6)} denied, ${String(r.allowed).padStart(6)} allowed  ${r.actions.join(', ')}`,
    );
  if (rows.length > TOP) lines.push(`  (${rows.length - TOP} more)`);
  return lines;
}
