// Runs a jest suite with its JSON report (`--json --outputFile`) and reads it.
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { npmSeparator, shellQuote, withTestPaths } from '../command-line.js';
import { parseJestReport } from './parse.js';
import { runWithReport, shownCommand, suiteDirs, type Narrowing } from '../report-run.js';
import { exactNames, noRetryWarning, spacedName } from '../select.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';
import { atLeast, named, packageVersion, type RunnerVersion } from '../version.js';

const isJest = (word: string): boolean => /(^|\/)jest(\.js)?$/.test(word);

/** The words fixloop appends to a jest command, unquoted: the report flags, then the chosen files. */
export function jestWords(reportFile: string, files: string[] | undefined, narrowing: Narrowing = {}): string[] {
  const flags = ['--ci', '--json', `--outputFile=${reportFile}`, '--testLocationInResults'];
  const names = narrowing.tests && exactNames(narrowing.tests.map((t) => spacedName(t.fullName)));
  if (names) flags.push('-t', names);
  if (files) flags.push('--passWithNoTests', '--runTestsByPath');
  return [...flags, ...(files ?? [])];
}

/**
 * The suite's command with jest's JSON report. Chosen files replace the paths the command names
 * and are taken as paths (`--runTestsByPath`), not as the patterns jest reads positional words as.
 * Chosen tests are picked by `-t`, which jest matches against a test's titles joined by spaces.
 */
export function jestCommand(command: string, reportFile: string, files: string[] | undefined, dir: string, narrowing: Narrowing = {}): string {
  let base = command.trimEnd();
  if (files) base = withTestPaths(base, [], dir, (words) => words.findIndex(isJest)) ?? base;
  return `${base}${npmSeparator(base)} ${jestWords(reportFile, files, narrowing).map(shellQuote).join(' ')}`;
}

/**
 * Every flag fixloop gives jest exists since jest 22 (`--testLocationInResults`); jest 27, 29 and 30
 * were run. What differs is only said: jest has no command-line retry (`jest.retryTimes` lives in test code).
 */
export function jestWarnings(narrowing: Narrowing, version: RunnerVersion = { from: 'assumed' }): string[] {
  const warnings: string[] = [];
  if (!atLeast(version, 22)) warnings.push(`${named('jest', version)} has no --testLocationInResults (jest 22 has): its run may stop at it.`);
  if (narrowing.retries) warnings.push(noRetryWarning('jest'));
  return warnings;
}

export class JestAdapter implements TestRunnerAdapter {
  readonly format = 'jest';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const version = await packageVersion(['jest', 'jest-cli'], suiteDirs(suite, options.cwd).runDir);
    return runWithReport(suite, options, {
      expected: { name: 'a jest JSON report', hint: 'is it a jest command, and does its config load?' },
      plan: (_suite, reportFile, files, dir, narrowing) => ({
        run: jestCommand(suite.command, reportFile, files, dir, narrowing),
        appended: { runner: 'jest', words: jestWords(reportFile, files, narrowing) },
        shown: shownCommand(suite.command, files),
        warnings: jestWarnings(narrowing, version),
      }),
      parse: (text, _output, ctx) => parseJestReport(JSON.parse(text), suite.name, ctx),
    });
  }
}
