// `fixloop init --check`: run each suite of a policy once and say whether it works — how many
// tests it ran, or what blocked it.
import type { SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { runSuites } from '../runners/index.js';

export interface SuiteCheck {
  suite: string;
  /** It ran and reported tests (failing tests are fine: that is what the loop is for). */
  ok: boolean;
  line: string;
}

export interface CheckResult {
  suites: SuiteCheck[];
  ok: boolean;
}

function judge(run: SuiteRun): SuiteCheck {
  const { tests, passed, failed, skipped, loadErrors } = run.totals;
  const seconds = `${(run.durationMs / 1000).toFixed(1)}s`;
  if (run.blocker) return { suite: run.suite, ok: false, line: `blocked: ${run.blocker.message}` };
  const warnings = run.warnings?.length ? ` (${run.warnings.join(' ')})` : '';
  if (tests === 0 && loadErrors === 0) {
    return { suite: run.suite, ok: false, line: `ran no test in ${seconds}: check the command's paths and the runner's config${warnings}` };
  }
  const files = loadErrors ? `, ${loadErrors} test file${loadErrors === 1 ? '' : 's'} failed to load` : '';
  return { suite: run.suite, ok: true, line: `ran ${tests} test${tests === 1 ? '' : 's'} (${passed} passed, ${failed} failed, ${skipped} skipped${files}) in ${seconds}${warnings}` };
}

/** Runs every suite once in `root`, one after another; `onSuite` hears each verdict as it comes. */
export async function checkPolicy(
  root: string,
  suites: SuiteConfig[],
  opts: { signal?: AbortSignal; onSuite?: (check: SuiteCheck) => void } = {},
): Promise<CheckResult> {
  const checks: SuiteCheck[] = [];
  for (const suite of suites) {
    let check: SuiteCheck;
    try {
      const run = await runSuites([suite], { cwd: root, signal: opts.signal });
      check = judge(run.suites[0]);
    } catch (error) {
      opts.signal?.throwIfAborted();
      check = { suite: suite.name, ok: false, line: `blocked: ${error instanceof Error ? error.message : String(error)}` };
    }
    checks.push(check);
    opts.onSuite?.(check);
  }
  return { suites: checks, ok: checks.every((c) => c.ok) };
}
