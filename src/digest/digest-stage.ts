import { digestFileKey } from '../layout/keys.js';
import { gzip, sha256Hex } from '../layout/encode.js';
import type { LogFile } from '../layout/log-file.js';
import type { Prepared } from '../pipeline/generate.js';
import type { FileStage } from '../pipeline/run.js';
import { Rng } from '../random/rng.js';
import type { SinkObject } from '../sinks/sink.js';
import { buildDigest, digestEntry, type DigestLogFile, type PreviousDigest } from './digest-file.js';
import { PUBLIC_KEYS_NAME, publicKeyList } from './public-keys.js';
import { SIGNATURE_ALGORITHM, signDigestAsync } from './signature.js';
import type { SigningKey } from './signing-key.js';

export const HOUR_MS = 3_600_000;

/** An hour of a chain, closed and waiting to be sealed (written out and signed). */
interface ClosedHour {
  start: number;
  end: number;
  logFiles: DigestLogFile[];
}

/** One account and Region: its own hourly chain. */
interface Chain {
  accountId: string;
  region: string;
  /** The open hour: [start, end). */
  start: number;
  end: number;
  /** Log files delivered in the open hour so far. */
  logFiles: DigestLogFile[];
  /** The last sealed digest; set only by `sealed`, in chain order. */
  previous: PreviousDigest | null;
  /** Digests of closed hours, sealed one after the other; emitted at the chain's next file or at the end. */
  sealed: Promise<SinkObject[]>;
}

/**
 * Where an account's and Region's digest hours begin, as an offset into the clock hour. CloudTrail's
 * hours do not start on the hour (its example runs 14:01:31 to 15:01:31); each chain draws its own
 * second from the seed.
 */
export function hourOffset(seed: number, trailName: string, accountId: string, region: string): number {
  return new Rng(seed).fork(`digest/${trailName}/${accountId}/${region}`).int(0, 3599) * 1000;
}

/** The start of the digest hour holding `t`, for hours that begin `offset` ms into the clock hour. */
export function hourStart(t: number, offset: number): number {
  return t - ((((t - offset) % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/**
 * The digest stage: watches the log files of a run go by and writes, for every account and Region
 * of the scenario, one signed digest per hour from the hour holding the run's start to the hour
 * holding its last delivery, quiet hours included, each chained to the one before. Then the public
 * key, as `trailsim-public-keys.json`.
 *
 * Files must come in delivery-time order per account and Region (the plan's order). Memory: one
 * hour's entries per account and Region.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
 *
 * @example
 * await runGenerate(scenario, sink, { stages: (p) => [createDigestStage(p, deriveSigningKey(p.scenario.seed))] });
 */
export function createDigestStage(p: Prepared, key: SigningKey): FileStage {
  const { scenario, location } = p;
  const bucket = scenario.trail.bucket;
  const chains = new Map<string, Chain>();
  const order: Chain[] = [];
  for (const account of p.world.accounts) {
    for (const region of scenario.regions) {
      const offset = hourOffset(scenario.seed, scenario.trail.name, account.id, region);
      const start = hourStart(scenario.start, offset);
      const chain: Chain = {
        accountId: account.id,
        region,
        start,
        end: start + HOUR_MS,
        logFiles: [],
        previous: null,
        sealed: Promise.resolve([]),
      };
      chains.set(`${account.id}/${region}`, chain);
      order.push(chain);
    }
  }
  const firstStart = Math.min(...order.map((c) => c.start));
  let lastDelivery = scenario.end - 1;

  /** Writes and signs one closed hour's digest; the chain's previous digest must be sealed. */
  const seal = async (c: Chain, h: ClosedHour): Promise<SinkObject> => {
    const digestKey = digestFileKey(
      location,
      c.accountId,
      c.region,
      scenario.trail.name,
      scenario.trail.homeRegion,
      h.end,
    );
    const body = buildDigest({
      accountId: c.accountId,
      start: h.start,
      end: h.end,
      bucket,
      key: digestKey,
      fingerprint: key.fingerprint,
      logFiles: h.logFiles,
      previous: c.previous,
    });
    const raw = Buffer.from(JSON.stringify(body), 'utf8');
    const sha256 = sha256Hex(raw);
    const signature = await signDigestAsync(key.privateKey, body, sha256);
    c.previous = { bucket, key: digestKey, sha256, signature };
    return {
      key: digestKey,
      body: gzip(raw, scenario.gzipLevel),
      contentType: 'application/x-gzip',
      metadata: { signature, 'signature-algorithm': SIGNATURE_ALGORITHM },
    };
  };

  /**
   * Closes the chain's open hours up to `t` (delivery times ≥ an hour's end close it) and queues
   * their sealing behind the chain's earlier ones: each digest carries the previous signature, so a
   * chain is signed in order, while different chains are signed at once on the thread pool.
   */
  const closeHoursBefore = (c: Chain, t: number): void => {
    const hours: ClosedHour[] = [];
    while (t >= c.end) {
      hours.push({ start: c.start, end: c.end, logFiles: c.logFiles });
      c.start = c.end;
      c.end += HOUR_MS;
      c.logFiles = [];
    }
    if (hours.length === 0) return;
    c.sealed = c.sealed.then(async (done) => {
      for (const h of hours) done.push(await seal(c, h));
      return done;
    });
    // Awaited later (at the chain's next file, or at the end); a failure surfaces there.
    c.sealed.catch(() => undefined);
  };

  return {
    async onFile(file: LogFile): Promise<SinkObject[]> {
      const c = chains.get(`${file.accountId}/${file.region}`);
      if (!c) throw new Error(`digest stage: log file ${file.key} is for no account and Region of the run`);
      if (file.deliveryTime < c.start)
        throw new Error(`digest stage: ${file.key} arrived after its hour was closed (files out of order)`);
      // What this chain closed at its previous file: emitted now, a fixed point, so the order of
      // objects does not depend on how fast the thread pool was.
      const out = await c.sealed;
      c.sealed = Promise.resolve([]);
      closeHoursBefore(c, file.deliveryTime);
      c.logFiles.push(digestEntry(bucket, file));
      if (file.deliveryTime > lastDelivery) lastDelivery = file.deliveryTime;
      // Let finished signatures start the next ones of their chains.
      await new Promise<void>((r) => setImmediate(r));
      return out;
    },
    async finish(): Promise<SinkObject[]> {
      // Up to and including the hour that holds the last delivery.
      for (const c of order) closeHoursBefore(c, lastDelivery + HOUR_MS);
      const out: SinkObject[] = [];
      let lastEnd = firstStart;
      for (const c of order) {
        out.push(...(await c.sealed));
        if (c.start > lastEnd) lastEnd = c.start;
      }
      const keys = publicKeyList(key, firstStart, lastEnd);
      out.push({
        key: PUBLIC_KEYS_NAME,
        body: Buffer.from(`${JSON.stringify(keys, null, 2)}\n`, 'utf8'),
        contentType: 'application/json',
      });
      return out;
    },
  };
}
