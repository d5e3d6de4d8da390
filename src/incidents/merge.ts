import type { LogFile, LogFileFacts } from '../layout/log-file.js';

const chainOf = (f: LogFileFacts): string => `${f.accountId}/${f.region}`;
const byDelivery = (a: LogFileFacts, b: LogFileFacts): number =>
  a.deliveryTime - b.deliveryTime || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The run's log files with the incidents' files among them, each placed before the first file of
 * its account and Region delivered at or after it: delivery time never goes back within a chain,
 * as the digest stage needs. Files of no later background file come at the end, by delivery.
 *
 * @example for await (const f of withIncidentFiles(rendered, incidentFiles)) await stage.onFile(f);
 */
export async function* withIncidentFiles<F extends LogFileFacts>(
  source: AsyncIterable<F>,
  incidentFiles: readonly LogFile[],
): AsyncGenerator<F | LogFile> {
  const pending = new Map<string, LogFile[]>();
  for (const f of [...incidentFiles].sort(byDelivery)) {
    const list = pending.get(chainOf(f));
    if (list) list.push(f);
    else pending.set(chainOf(f), [f]);
  }
  for await (const file of source) {
    const list = pending.get(chainOf(file));
    while (list && list.length > 0 && list[0]!.deliveryTime <= file.deliveryTime) yield list.shift()!;
    yield file;
  }
  yield* [...pending.values()].flat().sort(byDelivery);
}
