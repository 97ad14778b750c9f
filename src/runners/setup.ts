// A suite's `setup` commands (a build its tests import), run before it in its directory: one
// that fails leaves nothing worth testing, so the suite is blocked on it.
import type { SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { ENVIRONMENT_ERRORS, isCommandNotFound, lastLines } from './blocker.js';
import { runCommand } from './process.js';
import { countTotals } from './results.js';

export interface SetupOptions {
  runDir: string;
  /** Each step's output goes to `<logBase>.setup<n>.log`. */
  logBase?: string;
  signal?: AbortSignal;
}

/** Runs the suite's setup steps; a blocked SuiteRun when one fails, undefined when all passed. */
export async function runSetup(suite: SuiteConfig, opts: SetupOptions): Promise<SuiteRun | undefined> {
  let durationMs = 0;
  for (const [i, step] of (suite.setup ?? []).entries()) {
    const result = await runCommand(step, {
      cwd: opts.runDir,
      timeoutSec: suite.timeoutSec,
      signal: opts.signal,
      logFile: opts.logBase ? `${opts.logBase}.setup${i + 1}.log` : undefined,
    });
    if (result.aborted) throw opts.signal?.reason ?? new Error(`Suite "${suite.name}" was aborted`);
    durationMs += result.durationMs;
    if (result.exitCode === 0 && !result.timedOut) continue;
    const tail = result.outputTail;
    const evidence = tail.trim() ? `\nLast output:\n${lastLines(tail)}` : ' It printed nothing.';
    const named = `Suite "${suite.name}": setup step ${i + 1} \`${step}\``;
    const [reason, what] = result.timedOut
      ? (['timeout', `timed out after ${suite.timeoutSec}s`] as const)
      : result.spawnError
        ? (['crash', `could not be started: ${result.spawnError}`] as const)
        : isCommandNotFound(result)
          ? (['command-not-found', 'failed: command not found'] as const)
          : ENVIRONMENT_ERRORS.test(tail)
            ? (['environment', `failed on the environment (${ENVIRONMENT_ERRORS.exec(tail)![0]})`] as const)
            : (['crash', `exited with code ${result.exitCode}`] as const);
    return {
      suite: suite.name,
      command: suite.command,
      exitCode: result.exitCode,
      durationMs,
      timedOut: result.timedOut,
      tests: [],
      loadFailures: [],
      totals: countTotals([], []),
      blocker: { reason, message: `${named} ${what}; the suite was not run. Fix the step or "setup" in the policy.${evidence}`, outputTail: tail },
    };
  }
  return undefined;
}
