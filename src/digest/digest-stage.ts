import { digestFileKey } from '../layout/keys.js';
import { gzip, MAX_DELIVERY_DELAY_MS } from '../layout/encode.js';
import { sha256Hex } from '../shared/hash.js';
import type { LogFileFacts } from '../layout/log-file.js';
import type { TrailRun } from './trail.js';
import type { FileStage } from './file-stage.js';
import { Rng } from '../shared/rng.js';
import type { SinkObject } from '../layout/sink-object.js';
import { buildDigest, digestEntry, type DigestLogFile, type PreviousDigest } from './digest-file.js';
import { PUBLIC_KEYS_NAME, publicKeyList } from './public-keys.js';
import { SIGNATURE_ALGORITHM, signDigestAsync } from './signature.js';
import type { SigningKey } from './signing-key.js';

export const HOUR_MS = 3_600_000;

export interface DigestStageOptions {
  /** The accounts and Regions whose chains this stage writes (a shard's); default all. */
  includes?: (accountId: string, region: string) => boolean;
}

/**
 * Chains being signed at the end of a run ahead of the one being stored: enough to keep libuv's
 * pool busy (one thread per core through the `trailsim` command, four by default), few enough that
 * the first chains are done first.
 */
const CHAINS_AHEAD = 8;

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
 * of the scenario (or those `opts.includes`), one signed digest per hour from the hour holding the
 * run's start to the hour holding the latest delivery a file of the run can have, quiet hours
 * included, each chained to the one before. Then the public
 * key, as `trailsim-public-keys.json`.
 *
 * Files must come in delivery-time order per account and Region (the plan's order). Memory: one
 * hour's entries per account and Region.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
 *
 * `key` may be a promise (a key still being derived): the stage waits for it only when it signs.
 *
 * @example
 * const stage = createDigestStage(buildRun(scenario).prepared, deriveSigningKey(scenario.seed));
 */
export function createDigestStage(
  p: TrailRun,
  key: SigningKey | Promise<SigningKey>,
  opts: DigestStageOptions = {},
): FileStage {
  const { scenario, location } = p;
  const bucket = scenario.trail.bucket;
  const includes = opts.includes ?? (() => true);
  // Every chain ends with the hour that holds the latest delivery any file of the run can have, a
  // time known before rendering: every shard of a run writes the same hours, quiet ones included.
  const closeAt = scenario.end - 1 + MAX_DELIVERY_DELAY_MS + HOUR_MS;
  const chains = new Map<string, Chain>();
  const order: Chain[] = [];
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  for (const account of p.world.accounts) {
    for (const region of scenario.regions) {
      const offset = hourOffset(scenario.seed, scenario.trail.name, account.id, region);
      const start = hourStart(scenario.start, offset);
      // The span of the public key: every chain's, whichever shard writes it.
      firstStart = Math.min(firstStart, start);
      lastEnd = Math.max(lastEnd, hourStart(closeAt, offset));
      if (!includes(account.id, region)) continue;
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
  const signingKey = Promise.resolve(key);
  // A failure surfaces where the key is awaited, in the first seal or in `finish`.
  signingKey.catch(() => undefined);
  /** Chains with hours being sealed. */
  let sealing = 0;

  /** Writes and signs one closed hour's digest; the chain's previous digest must be sealed. */
  const seal = async (c: Chain, h: ClosedHour): Promise<SinkObject> => {
    const { fingerprint, privateKey } = await signingKey;
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
      fingerprint,
      logFiles: h.logFiles,
      previous: c.previous,
    });
    const raw = Buffer.from(JSON.stringify(body), 'utf8');
    const sha256 = sha256Hex(raw);
    const signature = await signDigestAsync(privateKey, body, sha256);
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
    sealing++;
    c.sealed = c.sealed.then(async (done) => {
      try {
        for (const h of hours) done.push(await seal(c, h));
      } finally {
        sealing--;
      }
      return done;
    });
    // Awaited later (at the chain's next file, or at the end); a failure surfaces there.
    c.sealed.catch(() => undefined);
  };

  return {
    async onFile(file: LogFileFacts): Promise<SinkObject[]> {
      const c = chains.get(`${file.accountId}/${file.region}`);
      if (!c) throw new Error(`digest stage: log file ${file.key} is for no account and Region of the run`);
      if (file.sha256 === '')
        throw new Error(`digest stage: log file ${file.key} has no hash (its scenario has digests off)`);
      if (file.deliveryTime < c.start)
        throw new Error(`digest stage: ${file.key} arrived after its hour was closed (files out of order)`);
      // What this chain closed at its previous file: emitted now, a fixed point, so the order of
      // objects does not depend on how fast the thread pool was.
      const out = await c.sealed;
      c.sealed = Promise.resolve([]);
      closeHoursBefore(c, file.deliveryTime);
      c.logFiles.push(digestEntry(bucket, file));
      // Let finished signatures start the next ones of their chains (a batch of files would
      // otherwise go by without a turn of the event loop); a turn per file costs, so only then.
      if (sealing > 0) await new Promise<void>((r) => setImmediate(r));
      return out;
    },
    /**
     * The rest of every chain, then the public key. Chains are closed a few at a time, in order,
     * so that the first are signed first and stored while the next are being signed.
     */
    async *finish(): AsyncGenerator<SinkObject> {
      const close = (i: number): void => {
        const c = order[i];
        if (c) closeHoursBefore(c, closeAt);
      };
      for (let i = 0; i < CHAINS_AHEAD; i++) close(i);
      for (let i = 0; i < order.length; i++) {
        close(i + CHAINS_AHEAD);
        const c = order[i]!;
        for (const digest of await c.sealed) {
          yield digest;
          // Storing is synchronous: a turn of the event loop lets finished signatures start the
          // next ones of their chains meanwhile.
          if (sealing > 0) await new Promise<void>((r) => setImmediate(r));
        }
      }
      const keys = publicKeyList(await signingKey, firstStart, lastEnd);
      yield {
        key: PUBLIC_KEYS_NAME,
        body: Buffer.from(`${JSON.stringify(keys, null, 2)}\n`, 'utf8'),
        contentType: 'application/json',
      };
    },
  };
}
