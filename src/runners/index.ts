import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SuiteRun, TestRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { detectFormat } from './auto.js';
import { BUILTIN_RUNNERS } from './builtin.js';
import { markMissing } from './missing.js';
import { knownFormats, runnerDefinition } from './registry.js';
import { suiteDirs } from './report-run.js';
import { settleResults } from './settle.js';
import { sumTotals } from './results.js';
import { selectionKey } from './select.js';
import { runSetup } from './setup.js';
import type { SuiteProgress } from './progress.js';
import type { TestRunnerAdapter, TestSelection } from './types.js';

export type { RunOptions, TestRunnerAdapter, TestSelection } from './types.js';
export type { ProgressCounter, SuiteProgress } from './progress.js';
export { exactNames, leafName, spacedName } from './select.js';
export { runCommand, type CommandOptions, type CommandResult } from './process.js';
export { countTotals, sumTotals, testId } from './results.js';
export { parseVitestReport, type VitestParseOptions, type VitestResults } from './vitest/parse.js';
export { VitestAdapter, vitestCommand } from './vitest/adapter.js';
export { JestAdapter, jestCommand } from './jest/adapter.js';
export { parseJestReport, type JestResults } from './jest/parse.js';
export { NodeTestAdapter, nodeTestCommand, nodeTestReporterPath } from './node-test/adapter.js';
export { parseNodeTestReport, type NodeTestResults } from './node-test/parse.js';
export { JunitAdapter } from './junit/adapter.js';
export { PytestAdapter, pytestCommand } from './pytest/adapter.js';
export { MochaAdapter, mochaCommand } from './mocha/adapter.js';
export { clearVersionCache, type RunnerVersion } from './version.js';
export { parseJunitXml, type JunitParseOptions, type JunitResults } from './junit/parse.js';
export { ExitCodeAdapter } from './exit-code/adapter.js';
export { detectFormat, type Detection, type DetectedFormat } from './auto.js';
export { BUILTIN_FORMATS, knownFormats, registerRunner, registeredRunners, runnerDefinition, RunnerRegistryError, type DiscoverContext, type RunnerDefinition, type ScriptUse } from './registry.js';

/** The adapters fixloop ships, by `SuiteConfig.format` (registerRunner() adds others). */
export const defaultAdapters: Readonly<Record<string, TestRunnerAdapter>> = Object.freeze(Object.fromEntries(BUILTIN_RUNNERS.map((r) => [r.format, r.adapter])));

export interface RunSuitesOptions {
  /** Root of the checkout; suites' `cwd` are relative to it, and so is every path in the result. */
  cwd: string;
  /** Restrict every suite to these test files (repository-relative). */
  files?: string[];
  /**
   * Run only these tests (a TestCase will do): each suite runs its own, by name where its runner
   * can, and a suite with none is not run. Overrides `files`.
   */
  tests?: (TestSelection & { suite: string })[];
  /** Retry failing tests within the run where the runner can (see RunOptions.retries). */
  retries?: number;
  /** Each suite's full output goes to `<logDir>/<suite>.log`. */
  logDir?: string;
  signal?: AbortSignal;
  onSuiteEnd?: (run: SuiteRun) => void;
  /** How far the running suite has got, read from its output as it comes (runners that print it). */
  onProgress?: (suite: string, progress: SuiteProgress) => void;
  /** Adapters by format, consulted before the default ones. */
  adapters?: Record<string, TestRunnerAdapter>;
}

function logName(suite: string): string {
  return `${suite.replace(/[^\w.-]+/g, '_')}.log`;
}

/**
 * A log file of its own for this run of the suite: `<suite>.log` for the first, then
 * `<suite>-2.log`, …, created exclusively so no run (a verification's, a re-run's) writes over
 * another's output, which the reports link to.
 */
function claimLog(dir: string, suite: string): string {
  const base = logName(suite).replace(/\.log$/, '');
  for (let n = 1; ; n++) {
    const file = path.join(dir, n === 1 ? `${base}.log` : `${base}-${n}.log`);
    try {
      closeSync(openSync(file, 'wx'));
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Runs the suites one after another; an abort ends the running suite and rejects with the signal's reason. */
export async function runSuites(suites: SuiteConfig[], opts: RunSuitesOptions): Promise<TestRun> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  if (opts.logDir) mkdirSync(opts.logDir, { recursive: true });
  const runs: SuiteRun[] = [];
  for (const suite of suites) {
    opts.signal?.throwIfAborted();
    const tests = opts.tests?.filter((t) => t.suite === suite.name).map(({ file, fullName }) => ({ file, fullName }));
    if (tests?.length === 0) continue;
    // "auto" becomes the runner the command runs; a suite whose runner is not recognised says so.
    const detected = suite.format === 'auto' ? detectFormat(suite.command, suiteDirs(suite, opts.cwd).runDir, suite.junitFile) : undefined;
    const format = detected?.format ?? suite.format;
    const adapter = opts.adapters?.[format] ?? runnerDefinition(format)?.adapter;
    if (!adapter) {
      const known = knownFormats(Object.keys(opts.adapters ?? {})).join(', ');
      throw new Error(`Suite "${suite.name}": no test runner adapter for format "${format}" (known: ${known}).`);
    }
    const config = detected ? { ...suite, format } : suite;
    const logFile = opts.logDir ? claimLog(opts.logDir, suite.name) : undefined;
    const counter = opts.onProgress ? runnerDefinition(format)?.progress?.() : undefined;
    const base = {
      cwd: opts.cwd,
      ...(counter ? { onOutput: (text: string) => opts.onProgress!(suite.name, counter.push(text)) } : {}),
      logFile,
      signal: opts.signal,
      ...(opts.retries ? { retries: opts.retries } : {}),
    };
    const files = tests ? [...new Set(tests.map((t) => t.file))].sort() : opts.files;
    const logBase = logFile?.replace(/\.log$/, '');
    const setupFailed = suite.setup?.length && files?.length !== 0 ? await runSetup(suite, { runDir: suiteDirs(suite, opts.cwd).runDir, logBase, signal: opts.signal }) : undefined;
    if (setupFailed) {
      runs.push(setupFailed);
      opts.onSuiteEnd?.(setupFailed);
      continue;
    }
    let run = settled(await adapter.run(config, { ...base, files, ...(tests ? { tests } : {}) }), opts.cwd, config);
    // A name filter that missed some of the chosen tests (a title the runner matches otherwise, a
    // custom adapter that ignores names): their files run whole, so nothing chosen goes unseen.
    const missed = tests && !run.blocker ? unrun(tests, run) : 0;
    if (missed) {
      const whole = settled(await adapter.run(config, { ...base, files, onOutput: undefined }), opts.cwd, config);
      const said = `The name filter left ${missed} of the ${tests!.length} chosen tests unrun: fixloop ran their files whole.`;
      run = { ...whole, warnings: [said, ...(whole.warnings ?? [])] };
    }
    if (detected?.warning) run.warnings = [detected.warning, ...(run.warnings ?? [])];
    run = markMissing(run, suiteDirs(suite, opts.cwd));
    runs.push(run);
    opts.onSuiteEnd?.(run);
  }
  return { startedAt, durationMs: Math.round(performance.now() - started), suites: runs, totals: sumTotals(runs) };
}
export { discoverTests } from './discover.js';

/**
 * A custom adapter's results get the same ids and paths as the shipped ones (whose runs are
 * settled already: settling twice changes nothing). A copy: the adapter may keep what it returned.
 */
function settled(run: SuiteRun, cwd: string, suite: SuiteConfig): SuiteRun {
  const copy = { ...run, tests: run.tests.map((t) => ({ ...t })), loadFailures: run.loadFailures.map((l) => ({ ...l })) };
  settleResults(copy, cwd, suiteDirs(suite, cwd));
  return copy;
}

/** How many chosen tests neither passed nor failed, their file having loaded. */
function unrun(tests: TestSelection[], run: SuiteRun): number {
  const ran = new Set(run.tests.filter((t) => t.status === 'passed' || t.status === 'failed').map(selectionKey));
  const unloaded = new Set(run.loadFailures.map((lf) => lf.file));
  return tests.filter((t) => !ran.has(selectionKey(t)) && !unloaded.has(t.file)).length;
}
export { blockedByEnvironment, describeMissing, markMissing, missingDependency, packageOf } from './missing.js';
export { isSecret, passVariables, userEnvironment, withEnvironment, type UserEnvironment } from './environment.js';
