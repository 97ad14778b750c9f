// A suite judged by its command's exit code alone: one synthetic test named after the suite,
// failing with the end of the output when the command exits non-zero.
import type { Failure, SuiteRun, TestCase } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { blockerFor, isCommandNotFound, lastLines } from '../blocker.js';
import { errorNameOf, framesOf, fromErrorLine, headline, pickLocation, relativizeText, stripAnsi } from '../error-text.js';
import { runCommand } from '../process.js';
import { emptyRun, relativeFiles, suiteDirs, WHOLE_SUITE_WARNING } from '../report-run.js';
import { countTotals, testId } from '../results.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';

const FAILURE_LINES = 40;

export class ExitCodeAdapter implements TestRunnerAdapter {
  readonly format = 'exit-code';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const ctx = suiteDirs(suite, options.cwd);
    const files = relativeFiles(options.files, ctx);
    if (files && files.length === 0) return emptyRun(suite);
    const result = await runCommand(suite.command, {
      cwd: ctx.runDir,
      env: options.env,
      timeoutSec: suite.timeoutSec,
      signal: options.signal,
      logFile: options.logFile,
    });
    if (result.aborted) throw options.signal?.reason ?? new Error(`Suite "${suite.name}" was aborted`);
    const report = { found: !result.timedOut && !result.spawnError && !isCommandNotFound(result), failures: result.exitCode === 0 ? 0 : 1 };
    const blocker = blockerFor(suite, suite.command, result, report, { name: 'output', hint: '' });
    const tests: TestCase[] = [];
    if (!blocker) {
      const test: TestCase = {
        id: testId(suite.name, suite.name, suite.name),
        suite: suite.name,
        file: suite.name,
        fullName: suite.name,
        status: result.exitCode === 0 ? 'passed' : 'failed',
        durationMs: result.durationMs,
      };
      if (test.status === 'failed') test.failure = outputFailure(result.outputTail, result.exitCode, ctx.root, ctx.runDir, suite.name);
      tests.push(test);
    }
    return {
      suite: suite.name,
      command: suite.command,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      timedOut: result.timedOut,
      ...(options.logFile ? { logFile: options.logFile } : {}),
      tests,
      loadFailures: [],
      totals: countTotals(tests, []),
      ...(blocker ? { blocker } : {}),
      ...(files ? { warnings: [WHOLE_SUITE_WARNING] } : {}),
    };
  }
}

/** The error the output ends with, where it points, and the output's last lines as the stack. */
function outputFailure(tail: string, exitCode: number | null, root: string, runDir: string, suite: string): Failure {
  const text = lastLines(stripAnsi(tail), FAILURE_LINES);
  const shown = relativizeText(text, root);
  const lastLine = shown.split('\n').filter((line) => line.trim()).slice(-1)[0]?.trim();
  const message = headline(fromErrorLine(shown) ?? '') || `${suite} exited with code ${exitCode}${lastLine ? `: ${lastLine}` : ''}`;
  const failure: Failure = { message, stack: shown };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  const location = pickLocation(framesOf(text, { root, runDir }), '');
  if (location) failure.location = location;
  return failure;
}
