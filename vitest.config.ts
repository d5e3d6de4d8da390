import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests write many small files; keep them beside the checkout rather than in the system temp
// folder, which is slow to create files in on some machines (1 ms a file seen on CI's kind).
const tmp = join(import.meta.dirname, '.test-tmp');
mkdirSync(tmp, { recursive: true });

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TMPDIR: tmp },
    // CI reads the JSON report for its one-line summary.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.vitest-report.json' },
  },
});
