/**
 * The stages of src/ in the order data flows through them (see /docs and DESIGN): a folder may
 * import from the folders before it, never from one after it. `shared` is the leaf every stage may
 * use (errors, time, hashing, the seeded random source); `generated` holds types and validators
 * generated from schemas/. index.ts and library.ts, the package's entry points, come last.
 */
const STAGES = [
  'shared',
  'generated',
  'scenario',
  'world',
  'plan',
  'behaviour',
  'render',
  'layout',
  'digest',
  'edge-cases',
  'incidents',
  'sinks',
  'pipeline',
  'validate',
  'stats',
  'serve',
  'report',
  'cli',
];

const folder = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form no cycle, type-only imports included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...STAGES.slice(0, -1).map((stage, i) => ({
      name: `${stage}-imports-only-earlier-stages`,
      severity: 'error',
      comment: `${stage}/ imports only from ${STAGES.slice(0, i).join(', ') || 'node and packages'}.`,
      from: { path: folder(stage) },
      to: { path: [anyOf(STAGES.slice(i + 1)), '^src/[^/]+\\.ts$'] },
    })),
    {
      name: 'cli-is-not-imported-by-the-library',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: folder('cli') },
    },
    {
      name: 'every-folder-is-a-known-stage',
      severity: 'error',
      comment: 'A new folder of src/ takes its place in STAGES in .dependency-cruiser.cjs.',
      from: { path: '^src/', pathNot: [anyOf(STAGES), '^src/[^/]+\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs'] },
  },
};
