import type { Rng } from '../shared/rng.js';
import { negotiateTls, type TlsChoice } from './tls-stack.js';
import {
  at,
  day,
  RELEASE_LINES as LINES,
  recent,
  releaseOf,
  RUNTIMES,
  v,
  versionAt,
} from './client-releases.js';

/**
 * The programs that call DevOps Guru, and the user agents CloudTrail records for them. Versions
 * follow the simulated date: a client is never newer than its release, and people run a version
 * released a little before the day of the call.
 */
export type ClientKind =
  | 'console'
  | 'aws-cli'
  | 'boto3'
  | 'sdk-js-v3'
  | 'sdk-java-v2'
  | 'terraform'
  | 'cloudformation'
  | 'sdk-go-v2';

/** A client installation as one principal uses it: its kind, a fixed user-agent string and TLS stack. */
export interface Client {
  kind: ClientKind;
  userAgent: string;
  /** True when CloudTrail sees the call come from an AWS service rather than the caller's machine. */
  viaService: boolean;
  /**
   * What the installation's TLS stack negotiates with AWS endpoints, the same on every call; absent
   * for the console and for services, whose calls carry no tlsDetails.
   */
  tls?: TlsChoice;
}

/** Where a client runs, which decides its OS and runtime. */
export interface ClientOptions {
  /** A Lambda function: the user agent names its runtime, and its language version is that runtime's. */
  lambda?: boolean;
  /** A Linux host (a CI runner, a server): never a laptop's macOS. */
  linux?: boolean;
}

/** Newer SDKs add a `ua/2.x` marker and `m/` feature metrics; 2.1 from 2025. */
function uaMarker(ms: number): { ua: string; metrics: boolean } {
  return ms >= at('2025-01-15') ? { ua: 'ua/2.1', metrics: true } : { ua: 'ua/2.0', metrics: false };
}

/**
 * Builds the user agent a principal's client sends, fixed for the principal, plausible for the
 * date `ms` (the start of the simulated period): versions a little behind the date's releases, the
 * user-agent format of that era, runtimes already released.
 *
 * @example
 * makeClient('aws-cli', Date.parse('2023-09-01'), rng).userAgent
 * // 'aws-cli/2.13.9 Python/3.11.4 Linux/5.10.184-175.731.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/{cli}.{command}'
 */
export function makeClient(kind: ClientKind, ms: number, rng: Rng, opts: ClientOptions = {}): Client {
  const client = agentOf(kind, ms, rng, opts);
  if (client.viaService || kind === 'console') return client;
  return { ...client, tls: negotiateTls(kind, ms, rng) };
}

/** The user agent of a client installed a little before `ms` (see `makeClient`). */
function agentOf(kind: ClientKind, ms: number, rng: Rng, opts: ClientOptions): Client {
  const lag = rng.int(10, 120);
  // The client was installed `lag` days before the period: its runtime is from then too.
  const installed = ms - lag * day;
  const kernel = recent(rng, RUNTIMES.kernel!, installed);
  const { ua, metrics } = uaMarker(installed);
  switch (kind) {
    case 'console': {
      // The DevOps Guru console reaches the service through the console back end.
      const [, minor, p] = versionAt(LINES.consoleSdk!, ms, lag);
      const jdkBuild = recent(rng, RUNTIMES.consoleJdk!, installed);
      const jdk = `1.8.0_${jdkBuild.slice(3, 6)}`;
      const ua =
        `aws-internal/3 aws-sdk-java/1.${minor}.${p} Linux/5.10.${rng.int(220, 240)}-${rng.int(200, 260)}.${rng.int(800, 990)}.amzn2int.x86_64 ` +
        `OpenJDK_64-Bit_Server_VM/${jdkBuild} java/${jdk} vendor/Oracle_Corporation cfg/retry-mode/standard`;
      return { kind, userAgent: ua, viaService: false };
    }
    case 'aws-cli': {
      const cliVersion = versionAt(LINES.awscli!, ms, lag);
      const cli = v(cliVersion);
      const mac = rng.chance(0.45) && !opts.linux;
      const python = recent(rng, RUNTIMES.python!, installed);
      const darwin = recent(rng, RUNTIMES.darwin!, installed);
      if (cliVersion[1] < 15) {
        // Before 2.15 the CLI wrote the old space-separated format.
        const os = mac ? `Darwin/${darwin} source/arm64` : `Linux/${kernel} exe/x86_64.amzn.2`;
        return {
          kind,
          userAgent: `aws-cli/${cli} Python/${python} ${os} prompt/off command/{cli}.{command}`,
          viaService: false,
        };
      }
      const crt = `0.${Math.min(28, 10 + Math.floor(cliVersion[1] / 2))}.${rng.int(0, 6)}`;
      const os = mac ? `os/macos#${darwin} md/arch#arm64` : `os/linux#${kernel} md/arch#x86_64`;
      const m = metrics ? ` m/${rng.pick(['E,Z', 'b,E,Z', 'E', 'Z,E'])}` : '';
      const userAgent =
        `aws-cli/${cli} md/awscrt#${crt} ${ua} ${os} lang/python#${python} md/pyimpl#CPython` +
        `${m} cfg/retry-mode#standard md/installer#${mac ? 'source' : 'exe'}` +
        `${mac ? '' : ' md/distrib#amzn.2023'} md/prompt#off md/command#{cli}.{command}`;
      return { kind, userAgent, viaService: false };
    }
    case 'boto3': {
      const core = versionAt(LINES.botocore!, ms, lag);
      // boto3 and botocore share version numbers since botocore 1.33 (late 2023); before, boto3's
      // minor was three behind.
      const boto = `1.${core[1] >= 33 ? core[1] : core[1] - 3}.${core[2]}`;
      const runtime = opts.lambda ? recent(rng, RUNTIMES.lambdaPython!, installed, 2) : null;
      const python = runtime
        ? releaseOf(RUNTIMES.python!, runtime, installed)
        : recent(rng, RUNTIMES.python!, installed);
      const env = runtime ? ` exec-env/AWS_Lambda_python${runtime}` : '';
      if (core[1] < 32) {
        return {
          kind,
          userAgent: `Boto3/${boto} Python/${python} Linux/${kernel}${env} Botocore/${v(core)}`,
          viaService: false,
        };
      }
      const userAgent =
        `Boto3/${boto} md/Botocore#${v(core)} ${ua} os/linux#${kernel} md/arch#x86_64 ` +
        `lang/python#${python} md/pyimpl#CPython${env}${metrics ? ' m/Z,b' : ''} cfg/retry-mode#legacy Botocore/${v(core)}`;
      return { kind, userAgent, viaService: false };
    }
    case 'sdk-js-v3': {
      const jsVersion = versionAt(LINES.jsv3!, ms, lag);
      const js = v(jsVersion);
      const runtime = opts.lambda ? recent(rng, RUNTIMES.lambdaNode!, installed, 2) : null;
      const node = runtime
        ? releaseOf(RUNTIMES.node!, runtime, installed)
        : recent(rng, RUNTIMES.node!, installed);
      const env = runtime ? ` exec-env/AWS_Lambda_nodejs${runtime}.x` : '';
      if (jsVersion[1] < 500) {
        return {
          kind,
          userAgent: `aws-sdk-js/${js} os/linux/${kernel} lang/js md/nodejs/${node} api/{js}/${js}${env}`,
          viaService: false,
        };
      }
      const userAgent =
        `aws-sdk-js/${js} ${ua} os/linux#${kernel} lang/js md/nodejs#${node} ` +
        `api/{js}#${js}${env}${metrics ? ' m/N,E,e' : ''}`;
      return { kind, userAgent, viaService: false };
    }
    case 'sdk-java-v2': {
      const jv = v(versionAt(LINES.javav2!, ms, lag));
      const java = recent(rng, RUNTIMES.java!, installed);
      const build = rng.int(6, 11);
      if (!metrics) {
        return {
          kind,
          userAgent:
            `aws-sdk-java/${jv} Linux/${kernel} OpenJDK_64-Bit_Server_VM/${java}+${build}-LTS Java/${java} ` +
            `vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy`,
          viaService: false,
        };
      }
      const userAgent =
        `aws-sdk-java/${jv} md/io#sync md/http#Apache ${ua} api/{java}#${jv} os/Linux#${kernel} ` +
        `lang/java#${java} md/OpenJDK_64-Bit_Server_VM#${java}+${build}-LTS md/vendor#Amazon.com_Inc. md/en_US m/D,N`;
      return { kind, userAgent, viaService: false };
    }
    case 'terraform': {
      const tf = v(versionAt(LINES.terraform!, ms, lag));
      const provider = versionAt(LINES.tfaws!, ms, lag);
      const prov = v(provider);
      const sdk = versionAt(LINES.gov2!, ms, lag);
      const go = recent(rng, RUNTIMES.go!, installed);
      const head =
        `APN/1.0 HashiCorp/1.0 Terraform/${tf} (+https://www.terraform.io) terraform-provider-aws/${prov} ` +
        `(+https://registry.terraform.io/providers/hashicorp/aws)`;
      if (provider[0] < 5) {
        // Provider 3.x and 4.x were built on aws-sdk-go v1.
        return {
          kind,
          userAgent: `${head} aws-sdk-go/1.44.${rng.int(100, 300)} (go${go}; linux; amd64)`,
          viaService: false,
        };
      }
      const userAgent =
        `${head} aws-sdk-go-v2/${v(sdk)}${metrics ? ` ${ua}` : ''} os/linux lang/go#${go} ` +
        `md/GOOS#linux md/GOARCH#amd64 api/{go}#1.${sdk[1] + 3}.${rng.int(0, 9)}${metrics ? ' m/E,g' : ''}`;
      return { kind, userAgent, viaService: false };
    }
    case 'sdk-go-v2': {
      const sdk = versionAt(LINES.gov2!, ms, lag);
      const go = recent(rng, RUNTIMES.go!, installed);
      const userAgent =
        `aws-sdk-go-v2/${v(sdk)}${metrics ? ` ${ua}` : ''} os/linux lang/go#${go} md/GOOS#linux md/GOARCH#amd64 ` +
        `api/{go}#1.${sdk[1] + 3}.${rng.int(0, 9)}${metrics ? ' m/E' : ''}`;
      return { kind, userAgent, viaService: false };
    }
    case 'cloudformation':
      return { kind, userAgent: 'cloudformation.amazonaws.com', viaService: true };
  }
}

/** The AWS CLI writes the command it ran into its user agent: `devops-guru.list-insights`. */
export function cliCommandName(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
