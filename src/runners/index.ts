import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SuiteRun, TestRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { sumTotals } from './results.js';
import type { TestRunnerAdapter } from './types.js';
import { VitestAdapter } from './vitest.js';

export type { RunOptions, TestRunnerAdapter } from './types.js';
export { runCommand, type CommandOptions, type CommandResult } from './process.js';
export { countTotals, sumTotals, testId } from './results.js';
export { parseVitestReport, type VitestParseOptions, type VitestResults } from './vitest-parse.js';
export { VitestAdapter, vitestCommand } from './vitest.js';

/** The adapters fixloop ships, by `SuiteConfig.format`. */
export const defaultAdapters: Readonly<Record<string, TestRunnerAdapter>> = Object.freeze({
  vitest: new VitestAdapter(),
});

export interface RunSuitesOptions {
  /** Root of the checkout; suites' `cwd` are relative to it, and so is every path in the result. */
  cwd: string;
  /** Restrict every suite to these test files (repository-relative). */
  files?: string[];
  /** Each suite's full output goes to `<logDir>/<suite>.log`. */
  logDir?: string;
  signal?: AbortSignal;
  onSuiteEnd?: (run: SuiteRun) => void;
  /** Adapters by format, consulted before the default ones. */
  adapters?: Record<string, TestRunnerAdapter>;
}

function logName(suite: string): string {
  return `${suite.replace(/[^\w.-]+/g, '_')}.log`;
}

/** Runs the suites one after another; an abort ends the running suite and rejects with the signal's reason. */
export async function runSuites(suites: SuiteConfig[], opts: RunSuitesOptions): Promise<TestRun> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  if (opts.logDir) mkdirSync(opts.logDir, { recursive: true });
  const runs: SuiteRun[] = [];
  for (const suite of suites) {
    opts.signal?.throwIfAborted();
    const adapter = opts.adapters?.[suite.format] ?? defaultAdapters[suite.format];
    if (!adapter) {
      const known = [...new Set([...Object.keys(opts.adapters ?? {}), ...Object.keys(defaultAdapters)])].join(', ');
      throw new Error(`Suite "${suite.name}": no test runner adapter for format "${suite.format}" (known: ${known}).`);
    }
    const run = await adapter.run(suite, {
      cwd: opts.cwd,
      files: opts.files,
      logFile: opts.logDir ? path.join(opts.logDir, logName(suite.name)) : undefined,
      signal: opts.signal,
    });
    runs.push(run);
    opts.onSuiteEnd?.(run);
  }
  return { startedAt, durationMs: Math.round(performance.now() - started), suites: runs, totals: sumTotals(runs) };
}
