import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogFiles, runCli } from '../cli/cli.js';
import { scratchFolder } from '../helpers/tree.js';
import { actorOf, clientOf, errorKindOf } from '../../src/report/client-of.js';

const work = scratchFolder('client-of');
const KNOWN = ['console', 'aws-cli', 'terraform', 'boto3', 'sdk-js', 'sdk-java', 'sdk-go'];

describe('clientOf, actorOf, errorKindOf', () => {
  it('name the clients of the user agents AWS SDKs and tools send', () => {
    expect(clientOf('aws-cli/2.36.8 md/awscrt#0.28.4 ua/2.1 os/linux#6.1.119 md/arch#x86_64')).toBe(
      'aws-cli',
    );
    expect(
      clientOf(
        'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0',
      ),
    ).toBe('terraform');
    expect(clientOf('Boto3/1.35.1 md/Botocore#1.35.1 ua/2.0 os/linux#5.10')).toBe('boto3');
    expect(clientOf('aws-internal/3 aws-sdk-java/1.12.700 Linux/5.10.228')).toBe('console');
    expect(clientOf('cloudformation.amazonaws.com')).toBe('cloudformation.amazonaws.com');
    expect(clientOf('curl/8.5.0')).toBe('curl');
    expect(clientOf(undefined)).toBe('(none)');
    expect(actorOf('AssumedRole', 'console')).toBe('person');
    expect(actorOf('IAMUser', 'boto3')).toBe('automation');
    expect(actorOf('Root', 'boto3')).toBe('person');
    expect(actorOf('AWSService', 'aws-cli')).toBe('automation');
    expect(errorKindOf('AccessDeniedException')).toBe('denied');
    expect(errorKindOf('ThrottlingException')).toBe('throttled');
    expect(errorKindOf('ValidationException')).toBe('other');
  });

  it("name every client of a generated tree's records", async () => {
    const out = join(work, 'tree');
    const seed = String(1 + (process.pid % 1000));
    const r = await runCli(['generate', '--seed', seed, '--events', '1500', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const seen = new Set<string>();
    for (const f of readLogFiles(out))
      for (const rec of f.body.Records) {
        const client = clientOf(rec.userAgent as string);
        expect(
          KNOWN.includes(client) || client.endsWith('.amazonaws.com'),
          `${seed}: ${String(rec.userAgent)}`,
        ).toBe(true);
        seen.add(client);
      }
    // A day of the default cast has people at the console and the CLI, and automation.
    expect(seen).toContain('console');
    expect(seen).toContain('aws-cli');
    expect([...seen].some((c) => actorOf('AssumedRole', c) === 'automation')).toBe(true);
  });
});
