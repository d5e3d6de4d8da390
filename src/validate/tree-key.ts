/**
 * Reading keys of a CloudTrail bucket back: which account, Region and time a key stands for, or why
 * it is not in CloudTrail's layout.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */

/** What the folders and file name of a log or digest key say. */
interface KeyBase {
  key: string;
  /** Everything before `AWSLogs/`, with its slash; empty for none. */
  prefix: string;
  organizationId: string | null;
  accountId: string;
  region: string;
}

export interface LogKey extends KeyBase {
  kind: 'log';
  /** `CloudTrail`, or another event folder such as `CloudTrail-Insight`. */
  folder: string;
  /** The delivery minute in the file name (epoch ms). */
  minute: number;
}

export interface DigestKey extends KeyBase {
  kind: 'digest';
  trailName: string;
  homeRegion: string;
  /** The digest's end time in the file name (epoch ms). */
  end: number;
  backfill: boolean;
}

export type TreeKey = LogKey | DigestKey;

const FOLDERS = /^CloudTrail(?:-Insight|-NetworkActivity|-Aggregated|-Digest)?$/;
const PATH =
  /^((?:.+\/)?)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?([^/]+)\/([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;
const LOG_NAME =
  /^(\d{12})_(CloudTrail[A-Za-z-]*)_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;
const DIGEST_NAME =
  /^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_([A-Za-z0-9._-]+)_([a-z]{2}(?:-[a-z]+)+-\d)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(_backfill)?\.json\.gz$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** A UTC instant from its parts, or NaN when the parts are not a real date and time. */
function utc(y: string, mo: string, d: string, h = '00', mi = '00', s = '00'): number {
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const back = new Date(t);
  return back.getUTCFullYear() === +y &&
    back.getUTCMonth() === +mo - 1 &&
    back.getUTCDate() === +d &&
    back.getUTCHours() === +h &&
    back.getUTCMinutes() === +mi &&
    back.getUTCSeconds() === +s
    ? t
    : NaN;
}

/**
 * Parses a key (a path relative to the bucket root, `/`-separated) of a log or digest file.
 * Returns what it says, or a message saying how it leaves CloudTrail's layout.
 *
 * @example
 * parseTreeKey('AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/' +
 *   '111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz');
 * // { kind: 'log', accountId: '111122223333', region: 'us-east-2', minute: 1438395000000, … }
 */
export function parseTreeKey(key: string): TreeKey | string {
  const m = PATH.exec(key);
  if (!m) {
    return key.includes('AWSLogs/')
      ? 'not in the CloudTrail layout [prefix/]AWSLogs/[o-id/]<account>/<CloudTrail folder>/<region>/YYYY/MM/DD/<file>'
      : 'not a CloudTrail file (outside AWSLogs/)';
  }
  const [, prefix, org, account, folder, region, y, mo, d, name] = m as unknown as string[];
  if (!/^\d{12}$/.test(account!)) return `"${account}" is not a 12-digit account ID`;
  if (!FOLDERS.test(folder!)) return `"${folder}" is not a CloudTrail folder`;
  if (!REGION.test(region!)) return `"${region}" is not a Region`;
  if (Number.isNaN(utc(y!, mo!, d!))) return `${y}/${mo}/${d} is not a date`;
  const base = { key, prefix: prefix!, organizationId: org ?? null, accountId: account!, region: region! };
  const dayOf = (yy: string, mm: string, dd: string): string | undefined =>
    yy === y && mm === mo && dd === d
      ? undefined
      : `file name date ${yy}-${mm}-${dd} differs from folder ${y}/${mo}/${d}`;
  if (folder === 'CloudTrail-Digest') {
    const n = DIGEST_NAME.exec(name!);
    if (!n)
      return 'digest file name is not <account>_CloudTrail-Digest_<region>_<trail>_<home region>_YYYYMMDDTHHmmssZ.json.gz';
    const [, acc, reg, trail, home, yy, mm, dd, hh, mi, ss, backfill] = n as unknown as string[];
    if (acc !== account) return `account ${acc} in the file name differs from folder ${account}`;
    if (reg !== region) return `Region ${reg} in the file name differs from folder ${region}`;
    const day = dayOf(yy!, mm!, dd!);
    if (day) return day;
    const end = utc(yy!, mm!, dd!, hh, mi, ss);
    if (Number.isNaN(end)) return 'file name time is not a valid time';
    return {
      kind: 'digest',
      ...base,
      trailName: trail!,
      homeRegion: home!,
      end,
      backfill: backfill !== undefined,
    };
  }
  const n = LOG_NAME.exec(name!);
  if (!n)
    return 'log file name is not <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<16 letters or digits>.json.gz';
  const [, acc, type, reg, yy, mm, dd, hh, mi] = n as unknown as string[];
  if (acc !== account) return `account ${acc} in the file name differs from folder ${account}`;
  if (type !== folder) return `${type} in the file name differs from folder ${folder}`;
  if (reg !== region) return `Region ${reg} in the file name differs from folder ${region}`;
  const day = dayOf(yy!, mm!, dd!);
  if (day) return day;
  const minute = utc(yy!, mm!, dd!, hh, mi);
  if (Number.isNaN(minute)) return 'file name time is not a valid time';
  return { kind: 'log', ...base, folder: folder!, minute };
}

/** The chain a key belongs to: digests and log files of one account and Region under one root. */
export function chainOf(k: TreeKey): string {
  return `${k.prefix}AWSLogs/${k.organizationId ? `${k.organizationId}/` : ''}${k.accountId}/${k.region}`;
}
