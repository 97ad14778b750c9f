// Flaky tests: a failing test that passes when simply run again is not a bug to repair.
import type { Failure, FlakyTest, TestCase, TestRun, TestStatus } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { runSuites } from '../runners/index.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { failureKind, failureText, tsDiagnostics } from '../triage/index.js';

export interface FlakyOptions {
  cwd: string;
  suites: SuiteConfig[];
  reruns: number;
  /** Test ids already judged in this run: not re-run again. */
  judged: Set<string>;
  adapters?: Record<string, TestRunnerAdapter>;
  logDir?: string;
  signal?: AbortSignal;
}

/**
 * `expect(fn).not.toThrow()` failing on a name that is not defined, as jest prints it (its "Error
 * name" line) and as vitest does (ms with a misspelled `value`: four such tests re-run twice in two
 * suites cost 54 s before the fix was even proposed).
 */
const THROWN_UNDEFINED = /^\s*Error name:\s+"ReferenceError"\s*\n\s*Error message:\s+".+ is not defined"|\bbut '?ReferenceError: .+ is not defined'? was thrown\b/m;

/**
 * Failures no timing or environment can turn green: the code does not parse, load or compile (a
 * TypeScript error in the failure's text), a name is not defined (also when a toThrow matcher
 * caught it), or a value is not callable.
 * Re-running them only costs suite runs. (A TypeError such as "Cannot read properties of
 * undefined" can come from a race, so it is re-run.)
 */
export function cannotPassByChance(failure: Failure): boolean {
  const text = failureText(failure);
  if (tsDiagnostics(text).length > 0 || THROWN_UNDEFINED.test(text)) return true;
  const kind = failureKind(failure);
  if (kind === 'syntax' || kind === 'module-load' || kind === 'reference') return true;
  return kind === 'type' && /is not a (function|constructor)\b/.test(failure.message);
}

/**
 * A test the run already retried (the project's own vitest `retry` setting) is judged by its
 * attempts: flaky when one passed, though the run counts it as passed. The other failing tests
 * are re-run (by name where the runner can; vitest does all `reruns` in one start with `--retry`);
 * a test that passes in any re-run is flaky, and is not run again once it has. Failures that
 * cannot pass by chance (see cannotPassByChance) and files that failed to load are not re-run.
 */
export async function findFlaky(run: TestRun, opts: FlakyOptions): Promise<FlakyTest[]> {
  const history = new Map<string, TestStatus[]>();
  const failing: TestCase[] = [];
  const found: FlakyTest[] = [];
  for (const suite of run.suites) {
    for (const t of suite.tests) {
      if (opts.judged.has(t.id)) continue;
      // Retried within the run itself (vitest's --retry): its attempts are its re-runs.
      if (t.attempts && (t.status === 'failed' || t.status === 'passed')) {
        opts.judged.add(t.id);
        if (t.attempts.includes('passed')) found.push({ id: t.id, history: t.attempts });
        continue;
      }
      if (t.status !== 'failed') continue;
      if (t.failure && cannotPassByChance(t.failure)) continue;
      history.set(t.id, ['failed']);
      failing.push(t);
      opts.judged.add(t.id);
    }
  }
  if (failing.length === 0 || opts.reruns === 0) return found;
  for (const config of opts.suites) {
    let pending = failing.filter((t) => t.suite === config.name);
    for (let left = opts.reruns; left > 0 && pending.length > 0; left--) {
      const again = await runSuites([config], {
        cwd: opts.cwd,
        tests: pending,
        retries: left - 1,
        adapters: opts.adapters,
        logDir: opts.logDir,
        signal: opts.signal,
      });
      const byId = new Map(again.suites.flatMap((s) => s.tests.map((t) => [t.id, t] as const)));
      const next: TestCase[] = [];
      for (const test of pending) {
        const now = byId.get(test.id);
        const h = history.get(test.id)!;
        if (now?.attempts) {
          // Retried within the run: every re-run it had left is in its attempts.
          h.push(...now.attempts.slice(0, left));
          continue;
        }
        h.push(now?.status ?? 'skipped');
        if (now?.status !== 'passed') next.push(test);
      }
      pending = next;
    }
  }
  return [...found, ...[...history].filter(([, h]) => h.includes('passed')).map(([id, h]) => ({ id, history: h }))];
}
