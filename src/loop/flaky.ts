// Flaky tests: a failing test that passes when simply run again is not a bug to repair.
import type { Failure, FlakyTest, TestRun, TestStatus } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { runSuites } from '../runners/index.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { classifyFailure } from '../triage/index.js';

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
 * Failures no timing or environment can turn green: the code does not parse or load, a name is
 * not defined, or a value is not callable. Re-running them only costs suite runs. (A TypeError
 * such as "Cannot read properties of undefined" can come from a race, so it is re-run.)
 */
export function cannotPassByChance(failure: Failure): boolean {
  const kind = classifyFailure(failure);
  if (kind === 'syntax' || kind === 'module-load' || kind === 'reference') return true;
  return kind === 'type' && /is not a (function|constructor)\b/.test(failure.message);
}

/**
 * Re-runs the files of failing tests `reruns` times; a test that passes in any re-run is flaky.
 * Failures that cannot pass by chance (see cannotPassByChance) and files that failed to load are
 * not re-run.
 */
export async function findFlaky(run: TestRun, opts: FlakyOptions): Promise<FlakyTest[]> {
  const history = new Map<string, TestStatus[]>();
  for (const suite of run.suites) {
    for (const t of suite.tests) {
      if (t.status !== 'failed' || opts.judged.has(t.id)) continue;
      if (t.failure && cannotPassByChance(t.failure)) continue;
      history.set(t.id, ['failed']);
      opts.judged.add(t.id);
    }
  }
  if (history.size === 0 || opts.reruns === 0) return [];
  for (const config of opts.suites) {
    const suite = run.suites.find((s) => s.suite === config.name);
    const files = [...new Set(suite?.tests.filter((t) => history.has(t.id)).map((t) => t.file) ?? [])].sort();
    if (files.length === 0) continue;
    for (let i = 0; i < opts.reruns; i++) {
      const again = await runSuites([config], { cwd: opts.cwd, files, adapters: opts.adapters, logDir: opts.logDir, signal: opts.signal });
      const status = new Map(again.suites.flatMap((s) => s.tests.map((t) => [t.id, t.status] as const)));
      for (const [id, h] of history) if (id.startsWith(`${config.name}::`)) h.push(status.get(id) ?? 'skipped');
    }
  }
  return [...history].filter(([, h]) => h.includes('passed')).map(([id, h]) => ({ id, history: h }));
}
