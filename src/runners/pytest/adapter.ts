// pytest, asked for a JUnit report of its own (xunit1, which keeps `file` and `line`) and read
// with the JUnit parser in its pytest dialect.
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { npmScript, npmSeparator, shellQuote, withTestPaths } from '../command-line.js';
import { parseJunitXml } from '../junit/parse.js';
import { interpreterOf } from '../../repair/python/interpreter.js';
import { commandEnvironment } from '../environment.js';
import { worktreePythonPath } from '../python-paths.js';
import { conftestLoadFailures } from './text.js';
import { runWithReport, shownCommand, suiteDirs, type Narrowing } from '../report-run.js';
import { MAX_SELECTED, noRetryWarning } from '../select.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';
import { atLeast, commandVersion, named, type RunnerVersion } from '../version.js';

const isPytest = (word: string): boolean => /(^|\/)(pytest|py\.test)$/.test(word);

/** pytest's node id of a test: `tests/test_price.py::TestTotal::test_sum[2]` (our full name joins the class and test by " > "). */
export function pytestNodeId(file: string, fullName: string): string {
  return [file, ...fullName.split(' > ')].join('::');
}

/**
 * The suite's command with pytest's JUnit report: xunit1 (it keeps `file` and `line`), and
 * collection errors reported rather than ending the run. Chosen files replace the paths it names;
 * chosen tests are named by their node ids instead of their files.
 */
export function pytestCommand(
  command: string,
  reportFile: string,
  files: string[] | undefined,
  dir: string,
  narrowing: Narrowing = {},
  version: RunnerVersion = { from: 'assumed' },
): string {
  // `junit_family` came with pytest 4.2; before it xunit1 was the only format.
  const family = atLeast(version, 4, 2) ? ['-o', 'junit_family=xunit1'] : [];
  const flags = [`--junitxml=${shellQuote(reportFile)}`, ...family, '--continue-on-collection-errors'];
  const base = files ? withTestPaths(command.trimEnd(), [], dir, (words) => words.findIndex(isPytest)) ?? command.trimEnd() : command.trimEnd();
  const tests = narrowing.tests;
  const chosen =
    tests?.length && tests.length <= MAX_SELECTED ? [...new Set(tests.map((t) => pytestNodeId(t.file, t.fullName)))].sort() : files ?? [];
  return `${base}${npmSeparator(base)} ${[...flags, ...chosen.map(shellQuote)].join(' ')}`;
}

// The command up to its pytest (`python3 -m pytest`, `.venv/bin/pytest`, `uv run pytest`…).
const PYTEST_WORD = /(?:\S*python[\d.]*\s+-m\s+pytest|\S*\b(?:pytest|py\.test))(?=\s|$)/;

/** The command that prints the version of the pytest a suite runs, or undefined when none is found. */
export function pytestVersionCommand(command: string, dir: string): string | undefined {
  const text = npmScript(command, dir) ?? command;
  const match = PYTEST_WORD.exec(text);
  return match ? `${text.slice(0, match.index + match[0].length)} --version` : undefined;
}

export class PytestAdapter implements TestRunnerAdapter {
  readonly format = 'pytest';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const { runDir } = suiteDirs(suite, options.cwd);
    const probe = pytestVersionCommand(suite.command, runDir);
    // pytest 6 and older print "This is pytest version 6.2.5, imported from ..." on stderr.
    const version = probe ? await commandVersion(probe, runDir, /pytest(?: version)? (\d+\.\d+(?:\.\d+)?)/, options.env) : { from: 'no pytest in the command' };
    const env = { ...commandEnvironment().env, ...options.env };
    const pythonPath = await worktreePythonPath(interpreterOf(suite.command, runDir) ?? 'python3', options.cwd, env);
    return runWithReport(suite, options, {
      expected: { name: 'a pytest JUnit report', hint: 'is it a pytest command, and is pytest installed?' },
      plan: (_suite, reportFile, files, dir, narrowing) => ({
        run: pytestCommand(suite.command, reportFile, files, dir, narrowing, version),
        shown: shownCommand(suite.command, files),
        warnings: narrowing.retries ? [noRetryWarning(named('pytest', version))] : [],
        ...(pythonPath ? { env: { PYTHONPATH: pythonPath } } : {}),
      }),
      parse: (text, _output, ctx) => parseJunitXml(text, { ...ctx, suite: suite.name, dialect: 'pytest' }),
      parseWithoutReport: (output, ctx) => ({ tests: [], loadFailures: conftestLoadFailures(output, ctx, suite.name) }),
    });
  }
}
