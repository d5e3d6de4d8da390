#!/usr/bin/env node
/*
 * The `trailsim` command (the build copies this file to dist/bin/trailsim.cjs): gives libuv's
 * thread pool one thread per core, then runs the command line, the ES module bundle dist/bin/cli.js.
 *
 * Digest files are signed on that pool, which has four threads unless UV_THREADPOOL_SIZE says
 * otherwise. libuv reads the variable once, when the pool starts, and Node's ES module loader
 * starts it to read the first module; so it is set here, in a CommonJS file, which Node reads
 * without the pool, before anything is imported. On two cores, four signing threads took turns
 * with the main thread that builds the digests: in five back-to-back comparisons (with the
 * two-prime key of the time), `generate --events 100` (1,200 signatures) took 3-11% longer with
 * four threads than with two in four of them, and 3% less in one. On sixteen cores, sixteen
 * digests are signed at once instead of four. Never fewer than two, so that one slow file-system
 * call does not hold up the signatures; a value the user has set is kept.
 */
'use strict';

const { availableParallelism } = require('node:os');

/** UV_THREADPOOL_SIZE for a process of trailsim: the user's, or one per core and at least two. */
function threadPoolSize(env) {
  return env.UV_THREADPOOL_SIZE || String(Math.max(2, availableParallelism()));
}

if (require.main === module) {
  process.env.UV_THREADPOOL_SIZE = threadPoolSize(process.env);
  import('./cli.js');
} else {
  // Required (by the bench, which starts its cases with the same size): the rule, not the command.
  module.exports = { threadPoolSize };
}
