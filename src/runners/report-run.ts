// The run every report-reading adapter shares: resolve where the suite runs, run its command with
// the report flags into a temporary directory, read the report, and judge whether the suite
// could test the code at all.
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activeSandbox } from '../sandbox/bwrap.js';
import { shellQuote } from './command-line.js';
import type { LoadFailure, SuiteRun, TestCase } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { blockerFor, type ExpectedReport } from './blocker.js';
import { compileFailures } from './compile-output.js';
import type { PathContext } from './error-text.js';
import { commandEnvironment } from './environment.js';
import { runCommand } from './process.js';
import { argvEnvironment, type AppendedArgv } from './runner-argv.js';
import { countTotals } from './results.js';
import { settleResults } from './settle.js';
import type { RunOptions, TestSelection } from './types.js';

export interface ParsedResults {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

export interface PlannedCommand {
  /** What is run: the suite's command with the runner's report flags and the chosen files. */
  run: string;
  /** What reports and messages show: the command as the user wrote it, with the chosen files. */
  shown: string;
  /** Said in the SuiteRun, e.g. that the chosen files could not be singled out. */
  warnings?: string[];
  env?: Record<string, string>;
  /** The words appended for a runner that runs tests in its own process: its tests do not see them. */
  appended?: AppendedArgv;
}

/** What a run is narrowed to beyond its files; the tests' files are relative to the suite's directory. */
export interface Narrowing {
  tests?: TestSelection[];
  retries?: number;
}

export interface ReportSpec {
  expected: ExpectedReport;
  /** The command for a report at `reportFile`; `files` are relative to the suite's directory. */
  plan(suite: SuiteConfig, reportFile: string, files: string[] | undefined, runDir: string, narrowing: Narrowing): PlannedCommand;
  /** Where the report is written, when the runner decides (JUnit files named in the policy). */
  reportPath?(suite: SuiteConfig, tmp: string, runDir: string): string;
  /** The report's text (and the run's output) into tests and files that failed to load. */
  parse(report: string, output: string, ctx: PathContext): ParsedResults;
  /**
   * What the output alone tells when no report was written (a runner that stops before writing
   * one, as mocha does when a test file fails to load). Results with a test or a load failure
   * stand for the report; none leaves the run a missing report.
   */
  parseWithoutReport?(output: string, ctx: PathContext): ParsedResults;
}

export const WHOLE_SUITE_WARNING = 'This runner cannot be told which test files to run: fixloop ran the whole suite.';

export function emptyRun(suite: SuiteConfig): SuiteRun {
  return { suite: suite.name, command: suite.command, exitCode: 0, durationMs: 0, timedOut: false, tests: [], loadFailures: [], totals: countTotals([], []) };
}

/** The checkout's real root and the directory the suite runs in: runners print real paths. */
export function suiteDirs(suite: SuiteConfig, cwd: string): PathContext {
  const root = existsSync(cwd) ? realpathSync(cwd) : cwd;
  return { root, runDir: suite.cwd ? path.resolve(root, suite.cwd) : root };
}

export function relativeFiles(files: string[] | undefined, ctx: PathContext): string[] | undefined {
  return files?.map((file) => path.relative(ctx.runDir, path.resolve(ctx.root, file)).split(path.sep).join('/'));
}

export async function runWithReport(suite: SuiteConfig, options: RunOptions, spec: ReportSpec): Promise<SuiteRun> {
  const ctx = suiteDirs(suite, options.cwd);
  const files = relativeFiles(options.files, ctx);
  // Nothing asked of this suite: running it without a filter would run all of it.
  if (files && files.length === 0) return emptyRun(suite);

  // In the sandbox only its private temp directory is writable: the report is written there.
  const tmp = await mkdtemp(path.join(activeSandbox()?.tmpDir ?? os.tmpdir(), 'fixloop-run-report-'));
  try {
    const reportFile = spec.reportPath?.(suite, tmp, ctx.runDir) ?? path.join(tmp, 'report');
    // A report left by an earlier run must not pass for this one's.
    if (spec.reportPath) await rm(reportFile, { force: true });
    const tests = options.tests?.length
      ? options.tests.map((t) => ({ ...t, file: relativeFiles([t.file], ctx)![0] }))
      : undefined;
    const planned = spec.plan(suite, reportFile, files, ctx.runDir, { tests, retries: options.retries });
    const env = { ...planned.env, ...options.env };
    const argvEnv = planned.appended && argvEnvironment(tmp, planned.appended, env.NODE_OPTIONS ?? commandEnvironment().env.NODE_OPTIONS);
    const result = await runCommand(planned.run, {
      cwd: ctx.runDir,
      env: { ...env, ...argvEnv },
      timeoutSec: suite.timeoutSec,
      signal: options.signal,
      logFile: options.logFile,
      onOutput: options.onOutput,
    });
    if (result.aborted) throw options.signal?.reason ?? new Error(`Suite "${suite.name}" was aborted`);

    let parsed: ParsedResults | undefined;
    let parseError: string | undefined;
    const text = result.timedOut ? undefined : await readFile(reportFile, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        parsed = spec.parse(text, result.output, ctx);
      } catch (error) {
        parseError = error instanceof Error ? error.message : String(error);
      }
    } else if (!result.timedOut && !result.spawnError) {
      const fromOutput = spec.parseWithoutReport?.(result.output, ctx);
      if (fromOutput && (fromOutput.tests.length || fromOutput.loadFailures.length)) parsed = fromOutput;
      // The command stopped before its runner: a compile step (a pretest tsc) that failed says where.
      else if (result.exitCode !== 0) {
        const compiled = compileFailures(result.output, ctx, suite.name);
        if (compiled.length) parsed = { tests: [], loadFailures: compiled };
      }
    }
    const failures = parsed ? parsed.loadFailures.length + parsed.tests.filter((t) => t.status === 'failed').length : 0;
    const blocker = blockerFor(suite, planned.shown, result, { found: text !== undefined || parsed !== undefined, failures, parseError }, spec.expected);
    const results = parsed ?? { tests: [], loadFailures: [] };
    settleResults(results, options.cwd, ctx);
    return {
      suite: suite.name,
      command: planned.shown,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      timedOut: result.timedOut,
      ...(options.logFile ? { logFile: options.logFile } : {}),
      tests: results.tests,
      loadFailures: results.loadFailures,
      totals: countTotals(results.tests, results.loadFailures),
      ...(blocker ? { blocker } : {}),
      ...(planned.warnings?.length ? { warnings: planned.warnings } : {}),
      ...(result.deniedWrites?.length ? { deniedWrites: result.deniedWrites } : {}),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The command as reports and messages show it: the user's own, with the files a targeted run chose. */
export function shownCommand(command: string, files: string[] | undefined): string {
  return files?.length ? `${command} ${files.map(shellQuote).join(' ')}` : command;
}
