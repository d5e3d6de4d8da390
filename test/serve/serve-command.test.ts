import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTree } from '../helpers/serve.js';
import { runCli, scratchFolder } from '../helpers/tree.js';

/** `trailsim serve`'s command line: its help, and bad input answered with one line and exit 2. */
const dir = scratchFolder('serve-command');

describe('trailsim serve', () => {
  it('says in --help that it checks no credentials', () => {
    const r = runCli(['serve', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('checks no credentials');
    expect(r.stdout).toContain('AWS_ENDPOINT_URL=');
  });

  it('refuses bad input with one line and exit code 2', async () => {
    const out = join(dir, 'tree');
    generateTree(out, ['--events', '20', '--accounts', '1', '--regions', 'us-east-1', '--no-digests']);
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const cases: [string[], RegExp][] = [
        [['serve', join(dir, 'nowhere')], /nowhere: does not exist$/],
        [['serve', out, '--port', '70000'], /^trailsim: --port: 70000 is not a port number/],
        [['serve', out, '--account', '12'], /^trailsim: --account: "12" is not a 12-digit account ID$/],
        [
          ['serve', out, '--port', port],
          /^trailsim: --host 127\.0\.0\.1 --port \d+: cannot listen there \(EADDRINUSE\)$/,
        ],
      ];
      for (const [args, message] of cases) {
        const r = runCli(args);
        expect(r.status, args.join(' ')).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, args.join(' ')).toHaveLength(1);
        expect(lines[0], args.join(' ')).toMatch(message);
      }
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});
