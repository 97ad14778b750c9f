// Reads vitest's JSON report (plus, when given, the default reporter's text) into the shared model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Failure, LoadFailure, SourceLocation, TestCase, TestStatus } from '../../model.js';
import {
  errorNameOf,
  framesOf,
  headline,
  isRepoFile,
  pickLocation,
  relativizeText,
  stripAnsi,
  toRepoPath,
  type PathContext,
} from '../error-text.js';
import { STATUS, TestFileSchema, type Assertion } from '../jest/format.js';
import { testId } from '../results.js';
import { parseDefaultOutput, type ReporterBlock } from './text.js';
import { detailsOf } from '../failure-detail.js';
import { failedHook } from '../hooks.js';

export interface VitestParseOptions {
  suite: string;
  /** Repository root: every path in the result is relative to it. */
  cwd: string;
  /** Where vitest ran, when not the root (a suite's `cwd`): its printed relative paths start there. */
  runDir?: string;
  /** The default reporter's output of the same run, for what the JSON report leaves out. */
  defaultOutput?: string;
  /**
   * The major version of the vitest that wrote the report, when known. vitest 1's JSON differs:
   * every test's ancestors start with the file's own suite, named "", a failure is its message
   * alone (no class, no stack: the text has them) and `location` is where the first error was
   * thrown, not where the test is declared.
   */
  major?: number;
}

export interface VitestResults {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

const ReportSchema = z.object({
  testResults: z.array(TestFileSchema),
});

export function parseVitestReport(json: unknown, opts: VitestParseOptions): VitestResults {
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new Error(`Not a vitest JSON report (suite "${opts.suite}"): ${issues.join('; ')}`);
  }
  const ctx: PathContext = { root: opts.cwd, runDir: opts.runDir ?? opts.cwd };
  const printed = indexBlocks(opts.defaultOutput ? parseDefaultOutput(opts.defaultOutput) : [], ctx);
  const tests: TestCase[] = [];
  const loadFailures: LoadFailure[] = [];

  for (const result of parsed.data.testResults) {
    const file = repoPath(result.name, ctx);
    // vitest says "skipped" for tests it skipped and "pending" for tests with no result: still
    // running when the run ended, as when the worker running the file died (SIGKILL, OOM). They
    // are not skipped tests, and a file left with them did not finish: that file failed.
    const unfinished = result.assertionResults.filter((a) => a.status === 'pending').length;
    let anyFailed = false;
    for (const assertion of result.assertionResults) {
      if (assertion.status === 'pending') continue;
      const test = toTestCase(assertion, file, opts.suite, opts.major === 1);
      if (test.status === 'failed') {
        anyFailed = true;
        const line = assertion.location?.line;
        const block = printed.tests.get(`${file}:${line} > ${test.fullName}`) ?? printed.tests.get(`${file} > ${test.fullName}`);
        test.failure = toFailure(assertion.failureMessages?.[0] ?? '', block, ctx, file);
        if (opts.major === 1 && !test.failure.location && line !== undefined) test.failure.location = { file, line, column: assertion.location?.column };
      }
      tests.push(test);
    }
    if (unfinished > 0 && !anyFailed) {
      loadFailures.push({ suite: opts.suite, file, failure: unfinishedFailure(file, unfinished, opts.defaultOutput) });
    } else if (!anyFailed && (result.status === 'failed' || (result.message ?? '') !== '')) {
      // A failed file without a failed test: it did not load, or a hook (beforeAll, ...) threw.
      // vitest 1.1 marks a file that did not load "passed", with the error as its message.
      const block = printed.suites.get(file);
      const load: LoadFailure = { suite: opts.suite, file, failure: toFailure(result.message ?? '', block, ctx, file) };
      const testFrame = framesOf(`${block?.body ?? ''}\n${stripAnsi(result.message ?? '')}`, ctx).find((f) => f.file === file);
      const hook = failedHook(result.assertionResults.map((a) => STATUS[a.status]), ctx.root, testFrame);
      if (hook) load.hook = hook;
      loadFailures.push(load);
    }
  }
  return { tests, loadFailures };
}

/** A file vitest has no result for: its worker's death is an unhandled error that names no file. */
function unfinishedFailure(file: string, count: number, output: string | undefined): Failure {
  const died = output && /Worker exited unexpectedly/.test(stripAnsi(output)) ? ': its worker exited unexpectedly' : '';
  return { message: `${file} did not finish${died} (no result for ${count} of its tests)` };
}

function repoPath(printed: string, ctx: PathContext): string {
  return toRepoPath(printed, ctx) ?? printed;
}

function toTestCase(assertion: Assertion, file: string, suite: string, vitest1: boolean): TestCase {
  const ancestors = vitest1 && assertion.ancestorTitles[0] === '' ? assertion.ancestorTitles.slice(1) : assertion.ancestorTitles;
  const fullName = [...ancestors, assertion.title].join(' > ');
  const test: TestCase = { id: testId(suite, file, fullName), suite, file, fullName, status: STATUS[assertion.status] };
  if (assertion.duration != null) test.durationMs = Math.round(assertion.duration);
  if (assertion.location && !vitest1) test.location = { file, line: assertion.location.line, column: assertion.location.column };
  // With `--retry`, every failed attempt leaves its message: a pass after one is a flaky pass.
  const failedAttempts = assertion.failureMessages?.length ?? 0;
  if (test.status === 'passed' ? failedAttempts > 0 : test.status === 'failed' && failedAttempts > 1) {
    test.attempts = [...Array<TestStatus>(failedAttempts).fill('failed'), ...(test.status === 'passed' ? (['passed'] as const) : [])];
  }
  return test;
}

function indexBlocks(blocks: ReporterBlock[], ctx: PathContext) {
  const tests = new Map<string, ReporterBlock>();
  const suites = new Map<string, ReporterBlock>();
  for (const block of blocks) {
    const file = repoPath(block.file, ctx);
    if (block.section === 'suites') {
      if (!suites.has(file)) suites.set(file, block);
      continue;
    }
    const name = block.names.join(' > ');
    for (const key of [`${file}:${block.line} > ${name}`, `${file} > ${name}`]) {
      if (!tests.has(key)) tests.set(key, block);
    }
  }
  return { tests, suites };
}

/**
 * One failure from what the JSON holds (a test's stack, or a file's bare message) and what the
 * default reporter printed for it: the printed headline wins, since it names the error class
 * and holds the real message of a timeout.
 */
function toFailure(jsonText: string, block: ReporterBlock | undefined, ctx: PathContext, testFile: string): Failure {
  const rawJson = stripAnsi(jsonText).trim();
  const rawText = block?.body ?? '';
  const fromJson = relativizeText(rawJson, ctx.root);
  const fromText = relativizeText(rawText, ctx.root);
  const message =
    headline(fromText) || headline(fromJson) || `${testFile} failed without an error message (see the suite's output)`;
  const failure: Failure = { message };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  // A test's JSON entry is its full stack; a file's is a bare message, so the printed block says
  // more. A timeout's JSON stack is a placeholder ("Error: STACK_TRACE_ERROR") pointing into vitest.
  const jsonIsStack = /\n\s+at /.test(fromJson) && !fromJson.startsWith('Error: STACK_TRACE_ERROR');
  const stack = jsonIsStack || !fromText ? fromJson : fromText;
  if (stack) failure.stack = stack;
  // The JSON's stack holds the message's first line only: the printed block has the diff.
  const printed = fromText ? detailsOf(fromText, false) : '';
  if (printed.includes('\n')) failure.details = printed;
  // Frames are read before relativizing: printed relative paths are relative to where vitest ran.
  const location = pickLocation([...framesOf(rawText, ctx), ...framesOf(rawJson, ctx)], testFile) ?? unloadedImport(rawJson || rawText, ctx);
  if (location) failure.location = location;
  return failure;
}

// vite 5 (vitest 1 and 2) names the importing file but no line: "Failed to load url ./helpers
// (resolved id: ./helpers) in /abs/src/app.ts. Does the file exist?"
const FAILED_URL = /Failed to load url (\S+) \(resolved id: [^)]*\) in (\S+?)\. Does the file exist\?/;

/** The import of a module vite could not load: the line of the importing file that names it. */
function unloadedImport(text: string, ctx: PathContext): SourceLocation | undefined {
  const match = FAILED_URL.exec(text);
  const file = match && toRepoPath(match[2], ctx);
  if (!match || !file || !isRepoFile(file)) return undefined;
  let source: string;
  try {
    source = readFileSync(path.resolve(ctx.root, file), 'utf8');
  } catch {
    return undefined;
  }
  const quoted = [`'${match[1]}'`, `"${match[1]}"`, `\`${match[1]}\``];
  const at = source.split('\n').findIndex((line) => quoted.some((q) => line.includes(q)));
  return at < 0 ? undefined : { file, line: at + 1 };
}
