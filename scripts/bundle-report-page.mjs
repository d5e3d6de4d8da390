// Bundles the report page's script (src/report/page/main.ts, with the parts of ECharts it uses)
// into dist/report/page.js, one minified script that `trailsim report` inlines into every page, so
// the page needs nothing but itself. Run by `npm run build`, after tsc.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [path.join(packageRoot, 'src', 'report', 'page', 'main.ts')],
  outfile: path.join(packageRoot, 'dist', 'report', 'page.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  // The same bytes on every machine: no build paths, no time.
  sourcemap: false,
  logLevel: 'warning',
});
