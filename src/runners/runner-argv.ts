// The argv a test sees is the one the user's command gives it. jest in band and mocha run the
// tests in their own process, where code under test that parses `process.argv.slice(2)` (a CLI's
// `program.parse()`) would read the report flags fixloop appends (`--ci --json …`) and fail on
// them. A preload, given to every node process of the command through NODE_OPTIONS, acts only in
// the runner's own process: once the runner's bin has loaded (jest's buildArgv and mocha's bin
// copy `process.argv.slice(2)` synchronously while it loads: jest 27, 29, 30, mocha 10, 11) it
// takes exactly the appended words off `process.argv`, and it gives the runner back the user's
// NODE_OPTIONS at once, so that the tests and what they start see the user's environment.
// Not reached: mocha started with node flags (`--inspect`, `--node-option`) re-runs itself in a
// child with its options re-written, which keeps fixloop's words as before.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** The variable that carries the runner's bin, the appended words and the user's NODE_OPTIONS. */
export const ARGV_VARIABLE = 'FIXLOOP_RUNNER_ARGV';

/** The runner processes whose tests run in process, by the real path of their bin (`/`-separated). */
export const RUNNER_BINS = {
  jest: String.raw`/(jest|jest-cli)/bin/jest(\.js)?$`,
  mocha: String.raw`/mocha/(bin/_?mocha(\.js)?|lib/cli/cli\.js)$`,
} as const;

export interface AppendedArgv {
  /** Which runner's process takes the words off. */
  runner: keyof typeof RUNNER_BINS;
  /** The words appended to the user's command, as the runner's argv holds them (unquoted). */
  words: string[];
}

// Plain CommonJS for any node the user has: it must never break the process it is loaded in.
const PRELOAD = `'use strict';
(function () {
  var raw = process.env.${ARGV_VARIABLE};
  if (!raw || !process.argv[1]) return;
  var spec, main;
  try { spec = JSON.parse(raw); } catch (e) { return; }
  try { main = require('fs').realpathSync(process.argv[1]); } catch (e) { main = process.argv[1]; }
  if (!new RegExp(spec.bin).test(main.split(require('path').sep).join('/'))) return;
  delete process.env.${ARGV_VARIABLE};
  if (typeof spec.nodeOptions === 'string') process.env.NODE_OPTIONS = spec.nodeOptions;
  else delete process.env.NODE_OPTIONS;
  var Module = require('module');
  var load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (!isMain) return load.apply(this, arguments);
    Module._load = load;
    try { return load.apply(this, arguments); } finally { strip(); }
  };
  function strip() {
    var words = spec.words, at = process.argv.length - words.length;
    if (at < 2) return;
    for (var i = 0; i < words.length; i++) if (process.argv[at + i] !== words[i]) return;
    process.argv.splice(at, words.length);
  }
})();
`;

/** NODE_OPTIONS quotes a value with blanks, quotes or backslashes the way JSON does. */
function nodeOptionValue(value: string): string {
  return /[\s"'\\]/.test(value) ? JSON.stringify(value) : value;
}

/**
 * The environment that hides `appended` from the tests: writes the preload into `dir` (the run's
 * temporary directory, writable in the sandbox too) and adds it to `nodeOptions`, the NODE_OPTIONS
 * the command would have had (undefined: none).
 */
export function argvEnvironment(dir: string, appended: AppendedArgv, nodeOptions: string | undefined): Record<string, string> {
  const file = path.join(dir, 'runner-argv.cjs');
  writeFileSync(file, PRELOAD);
  const spec = { bin: RUNNER_BINS[appended.runner], words: appended.words, nodeOptions: nodeOptions ?? null };
  const own = `--require ${nodeOptionValue(file)}`;
  return {
    NODE_OPTIONS: nodeOptions?.trim() ? `${nodeOptions} ${own}` : own,
    [ARGV_VARIABLE]: JSON.stringify(spec),
  };
}
