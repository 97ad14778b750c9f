// Runs a mocha suite with its built-in `xunit` reporter writing to a file, and reads it with the
// JUnit reader; a test file that fails to load stops mocha before it writes the report, and its
// output names the file (junit/output.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { afterHook, npmSeparator, scriptOutside, shellQuote, simpleWords, withoutCoverage, withTestPaths } from '../command-line.js';
import { mochaLoadFailures } from '../junit/output.js';
import { parseJunitXml } from '../junit/parse.js';
import { runWithReport, shownCommand, suiteDirs, type Narrowing } from '../report-run.js';
import { exactNames, spacedName } from '../select.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';
import { atLeast, named, packageVersion, type RunnerVersion } from '../version.js';

const isMocha = (word: string): boolean => /(^|\/)_?mocha(\.js)?$/.test(word);

const CONFIG_FILES = ['.mocharc.js', '.mocharc.cjs', '.mocharc.mjs', '.mocharc.json', '.mocharc.jsonc', '.mocharc.yml', '.mocharc.yaml'];

/** Whether mocha's config (a .mocharc file or package.json's "mocha") names the spec files to run. */
export function configNamesSpec(dir: string): boolean {
  for (const name of CONFIG_FILES) {
    const file = path.join(dir, name);
    if (existsSync(file) && /\bspec\b/.test(readFileSync(file, 'utf8'))) return true;
  }
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { mocha?: { spec?: unknown } };
    return pkg.mocha?.spec !== undefined;
  } catch {
    return false;
  }
}

export interface MochaPlan {
  run: string;
  warnings: string[];
  env?: Record<string, string>;
}

/**
 * The command to narrow to chosen files: the command itself, or the script behind `npm test` /
 * `npm run x` when that is a plain mocha command, since the paths a script names would run too
 * (run as npm would: its pretest hook first, its programs on PATH).
 */
function targetable(command: string, dir: string): { base: string; hook?: string; env?: Record<string, string> } | undefined {
  const outside = scriptOutside(command, dir);
  if (outside === undefined) return { base: command.trimEnd() };
  const words = simpleWords(outside.script);
  if (!words || words.findIndex(isMocha) < 0) return undefined;
  return { base: outside.script, hook: outside.hook, env: outside.env };
}

/** The words fixloop appends to a mocha command, unquoted: the reporter flags, then the chosen files. */
export function mochaWords(reportFile: string, files: string[] | undefined, narrowing: Narrowing = {}, version: RunnerVersion = { from: 'assumed' }): string[] {
  // `--reporter-option` is mocha 6's name; older versions know only `--reporter-options`.
  const option = atLeast(version, 6) ? '--reporter-option' : '--reporter-options';
  const flags = ['--reporter', 'xunit', option, `output=${reportFile}`];
  const names = narrowing.tests && exactNames(narrowing.tests.map((t) => spacedName(t.fullName)));
  if (names) flags.push('--grep', names);
  return [...flags, ...(files ?? [])];
}

/**
 * The suite's command with mocha's xunit reporter writing to `reportFile` (ours comes last, so it
 * wins over a reporter the command or .mocharc names). Chosen files replace the paths the command
 * names; chosen tests are picked by `--grep`, which mocha matches against a test's titles joined by
 * spaces (the xunit classname keeps the describe titles joined by spaces too).
 */
export function mochaCommand(command: string, reportFile: string, files: string[] | undefined, dir: string, narrowing: Narrowing = {}, version: RunnerVersion = { from: 'assumed' }): MochaPlan {
  const warnings: string[] = [];
  if (narrowing.retries) {
    // mocha's --retries would report a test that passed on a retry as passed, its failures lost.
    warnings.push(`${named('mocha', version)}'s xunit report keeps no retried attempts: fixloop re-runs failing tests in new runs instead of --retries.`);
  }
  let base = command.trimEnd();
  let env: Record<string, string> | undefined;
  let hook: string | undefined;
  if (files) {
    const target = targetable(command, dir);
    const rewritten = target && withTestPaths(target.base, [], dir, (words) => words.findIndex(isMocha));
    if (target && rewritten) {
      // A coverage threshold (c8, nyc) judges the whole suite, not the chosen files.
      const words = simpleWords(rewritten)!;
      base = withoutCoverage(words, words.findIndex(isMocha)).join(' ');
      ({ env, hook } = target);
    } else {
      warnings.push(`Cannot take the test paths out of "${command}": the files it names ran besides the chosen ones.`);
    }
    // mocha adds the spec of its config to the files it is given: it cannot be narrowed below that.
    if (configNamesSpec(dir)) warnings.push("mocha runs the spec files its config names besides the chosen files: other test files ran too.");
  }
  const words = mochaWords(reportFile, files, narrowing, version);
  const run = afterHook(hook, `${base}${npmSeparator(base)} ${words.map(shellQuote).join(' ')}`);
  return { run, warnings, ...(env ? { env } : {}) };
}

export class MochaAdapter implements TestRunnerAdapter {
  readonly format = 'mocha';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const version = await packageVersion(['mocha'], suiteDirs(suite, options.cwd).runDir);
    return runWithReport(suite, options, {
      expected: { name: "mocha's xunit report", hint: 'is it a mocha command, and does its config load?' },
      plan: (_suite, reportFile, files, dir, narrowing) => {
        const { run, warnings, env } = mochaCommand(suite.command, reportFile, files, dir, narrowing, version);
        const appended = { runner: 'mocha' as const, words: mochaWords(reportFile, files, narrowing, version) };
        return { run, warnings, env, appended, shown: shownCommand(suite.command, files) };
      },
      parse: (text, output, ctx) => {
        const results = parseJunitXml(text, { ...ctx, suite: suite.name });
        const known = new Set(results.loadFailures.map((l) => l.file));
        const more = mochaLoadFailures(output, ctx, suite.name).filter((l) => !known.has(l.file));
        return { tests: results.tests, loadFailures: [...results.loadFailures, ...more] };
      },
      // mocha writes no report when a test file fails to load: its output names the file.
      parseWithoutReport: (output, ctx) => ({ tests: [], loadFailures: mochaLoadFailures(output, ctx, suite.name) }),
    });
  }
}
