// Bundles the built CLI (dist/cli/main.js) and its render worker, with their dependencies, into
// dist/bin/, and puts the launcher (src/cli/launcher.cjs) next to them as dist/bin/trailsim.cjs:
// the `trailsim` command that package.json's `bin` and `npm start` run.
//
// Why: Node's ES module loader resolves, reads and compiles each of the CLI's ~200 modules (its own
// and yargs', ajv's, faker's) one by one, which cost a quarter of a second before any work began,
// for every command. A handful of files load in a fraction of that. The library (dist/index.js and
// the modules tsc writes next to it) is not bundled; this is only the command line.
//
// Run: npm run build (tsc first, then this). Layout constraints, which the code relies on:
// - Every output file sits directly in dist/bin/, two levels below the package root, as every
//   module of dist/ does, so `new URL('../../schemas/', import.meta.url)` and friends still find
//   the package's files from whichever chunk their code lands in.
// - The worker is an entry point named render-worker.js, next to the chunk that starts it
//   (src/pipeline/parallel.ts looks for `./render-worker.js`).
// - Commands and stages loaded with `import()` (the AWS SDK, ajv, YAML) stay in chunks of their
//   own, loaded only when used.
import { build } from 'esbuild';
import { chmod, copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Makes string-width (three copies: yargs', cliui's and wrap-ansi's) set itself up when first
 * called instead of when the bundle loads. At load it builds two `Intl.Segmenter`s and Unicode
 * property regexes (`\\p{RGI_Emoji}` alone takes ~40 ms to compile), ~60 ms of CPU for every
 * command, though only help and usage text measure strings. Each `import stringWidth from
 * 'string-width'` gets a stand-in that `require`s the real module on its first call; esbuild bundles
 * a required ES module as one evaluated when first required.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { real: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      // Relative, so that the bundle's comments do not carry the build machine's folders.
      return { path: path.relative(packageRoot, real.path), namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: [
        'let width;',
        'export default function stringWidth(string, options) {',
        `  width ??= require(${JSON.stringify(path.join(packageRoot, args.path))}).default;`,
        '  return width(string, options);',
        '}',
        '',
      ].join('\n'),
      resolveDir: path.dirname(path.join(packageRoot, args.path)),
    }));
  },
};

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(packageRoot, 'dist');
const outdir = path.join(dist, 'bin');

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    cli: path.join(dist, 'cli', 'main.js'),
    'render-worker': path.join(dist, 'pipeline', 'render-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __trailsimRequire } from 'node:module';\nconst require = __trailsimRequire(import.meta.url);",
  },
  plugins: [lazyStringWidth],
  // V8 scans all of a module's text when it compiles it, and every command compiles ~1 MB of it;
  // without spaces and comments that is ~30% less (about 12 ms of `--version`). Names are kept,
  // so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
const launcher = path.join(outdir, 'trailsim.cjs');
await copyFile(path.join(packageRoot, 'src', 'cli', 'launcher.cjs'), launcher);
await chmod(launcher, 0o755);
