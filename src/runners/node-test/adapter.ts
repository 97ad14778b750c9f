// Runs node's built-in test runner with fixloop's reporter (reporter.mjs) writing to a
// file, next to whatever reporter the command already prints with.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { afterHook, npmScript, scriptOutside, shellQuote, simpleWords, withoutCoverage, withTestPaths } from '../command-line.js';
import { parseNodeTestReport } from './parse.js';
import { runWithReport, shownCommand, suiteDirs, type Narrowing } from '../report-run.js';
import { exactNames, leafName, noRetryWarning } from '../select.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';
import { atLeast, commandVersion, named, type RunnerVersion } from '../version.js';

/** The reporter next to this module, or in src/ when this module runs from a build in dist/. */
export function nodeTestReporterPath(): string {
  const candidates = ['./reporter.mjs', '../../../src/runners/node-test/reporter.mjs'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

/** Index of the `node` (or `tsx`, which passes node's options on) word that runs `--test`, or -1. */
function nodeWord(words: string[]): number {
  const at = words.findIndex((word) => /(^|\/)(node|tsx)$/.test(word));
  return at >= 0 && words.slice(at + 1).includes('--test') ? at : -1;
}

export interface NodeTestPlan {
  run: string;
  warnings: string[];
  env?: Record<string, string>;
}

/** What a node version's test runner can be asked for. */
export interface NodeTestFeatures {
  /** `--test-reporter` with a module of our own: node 18.15, 19.6, 20. */
  reporter: boolean;
  /** `--test-name-pattern`: node 18.11. */
  namePattern: boolean;
  warnings: string[];
}

export function nodeTestFeatures(version: RunnerVersion = { from: 'assumed' }): NodeTestFeatures {
  const reporter = version.major === 19 ? atLeast(version, 19, 6) : atLeast(version, 18, 15);
  const namePattern = atLeast(version, 18, 11);
  const warnings: string[] = [];
  if (!reporter) warnings.push(`${named('node', version)} has no --test-reporter (node 18.15, 19.6 and 20 have): fixloop cannot read its tests.`);
  else if (!namePattern) warnings.push(`${named('node', version)} has no --test-name-pattern: chosen tests run with their whole files.`);
  return { reporter, namePattern, warnings };
}

/** The `node` the command runs `--test` with (or the script behind `npm test`), to ask its version. */
export function nodeBinary(command: string, dir: string): string {
  const script = npmScript(command, dir);
  for (const text of [script, command]) {
    const words = text === undefined ? undefined : simpleWords(text);
    const at = words ? nodeWord(words) : -1;
    // tsx runs the node on PATH.
    if (at >= 0) return /(^|\/)tsx$/.test(words![at]) ? 'node' : words![at];
  }
  return 'node';
}

/**
 * `node ... --test [paths]` with fixloop's reporter added right after `node`; an `npm test` whose
 * script is such a command runs the script itself, as npm would (its pretest hook first, its
 * programs on PATH: `c8 node --test`). Chosen files replace the paths it names, and a coverage
 * tool around node is left out of such a run. Chosen tests are picked by `--test-name-pattern` on
 * their own titles: Node 20 matches a test's own name (and runs the tests under a suite that
 * matches), so titles that other tests share run too.
 */
export function nodeTestCommand(
  command: string,
  reportFile: string,
  files: string[] | undefined,
  dir: string,
  narrowing: Narrowing = {},
  features = nodeTestFeatures(),
): NodeTestPlan {
  const outside = scriptOutside(command, dir);
  const scriptWords = outside && simpleWords(outside.script);
  const viaScript = outside !== undefined && scriptWords !== undefined && nodeWord(scriptWords) >= 0;
  const base = viaScript ? outside.script : command;
  const words = simpleWords(base);
  const at = words ? nodeWord(words) : -1;
  if (!words || at < 0) {
    return { run: command, warnings: [`"${command}" is not a plain \`node --test\` command: fixloop cannot add its reporter to it.`] };
  }
  const warnings = [...features.warnings, ...(narrowing.retries ? [noRetryWarning("node's test runner")] : [])];
  let targeted = base;
  if (files) {
    const rewritten = withTestPaths(base, files, dir, nodeWord);
    if (rewritten) targeted = rewritten;
    else warnings.push('Cannot run only the chosen test files with this command: ran the whole suite.');
  }
  const flags = [`--test-reporter=${shellQuote(nodeTestReporterPath())}`, `--test-reporter-destination=${shellQuote(reportFile)}`];
  const names = features.namePattern && narrowing.tests && exactNames(narrowing.tests.map((t) => leafName(t.fullName)));
  if (names) flags.push(`--test-name-pattern=${shellQuote(names)}`);
  // Keep the output a person reads: node drops its default reporter once one is named.
  if (!/--test-reporter[= ]/.test(targeted)) flags.push('--test-reporter=spec', '--test-reporter-destination=stdout');
  let out = simpleWords(targeted)!;
  if (files || narrowing.tests) out = withoutCoverage(out, nodeWord(out));
  const node = nodeWord(out);
  const run = [...out.slice(0, node + 1), ...flags, ...out.slice(node + 1)].join(' ');
  return viaScript ? { run: afterHook(outside.hook, run), warnings, env: outside.env } : { run, warnings };
}

export class NodeTestAdapter implements TestRunnerAdapter {
  readonly format = 'node-test';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const { runDir } = suiteDirs(suite, options.cwd);
    const node = nodeBinary(suite.command, runDir);
    const features = nodeTestFeatures(await commandVersion(`${shellQuote(node)} --version`, runDir, /v(\d+\.\d+\.\d+)/, options.env));
    return runWithReport(suite, options, {
      expected: { name: "fixloop's node:test report", hint: 'is it a `node --test` command?' },
      plan: (_suite, reportFile, files, dir, narrowing) => {
        const { run, warnings, env } = nodeTestCommand(suite.command, reportFile, files, dir, narrowing, features);
        return { run, warnings, env, shown: shownCommand(suite.command, files) };
      },
      parse: (text, _output, ctx) => parseNodeTestReport(text, suite.name, ctx),
    });
  }
}
