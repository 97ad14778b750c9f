// Reads jest's JSON report (`--json --outputFile`) into the shared model. Unlike vitest's, the
// report holds everything: a file that fails to load has its full printed error in `message`.
import { z } from 'zod';
import type { Failure, LoadFailure, SourceLocation, TestCase } from '../../model.js';
import {
  dedent,
  errorNameOf,
  framesOf,
  fromErrorLine,
  headline,
  pickLocation,
  relativizeText,
  stripAnsi,
  toRepoPath,
  type PathContext,
} from '../error-text.js';
import { STATUS, TestFileSchema } from './format.js';
import { testId } from '../results.js';
import { failedHook } from '../hooks.js';

export interface JestResults {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

const ReportSchema = z.object({
  numRuntimeErrorTestSuites: z.number().int(),
  testResults: z.array(TestFileSchema),
});

// Babel's parse errors name the file and put the position last: "SyntaxError: /abs/src/x.js: Unexpected token (3:10)".
const BABEL_SYNTAX = /^SyntaxError: (\S+?): .*\((\d+):(\d+)\)$/m;

export function parseJestReport(json: unknown, suite: string, ctx: PathContext): JestResults {
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new Error(`Not a jest JSON report (suite "${suite}"): ${issues.join('; ')}`);
  }
  const tests: TestCase[] = [];
  const loadFailures: LoadFailure[] = [];
  for (const result of parsed.data.testResults) {
    const file = toRepoPath(result.name, ctx) ?? result.name;
    let anyFailed = false;
    for (const assertion of result.assertionResults) {
      const fullName = [...assertion.ancestorTitles, assertion.title].join(' > ');
      const test: TestCase = { id: testId(suite, file, fullName), suite, file, fullName, status: STATUS[assertion.status] };
      if (assertion.duration != null) test.durationMs = Math.round(assertion.duration);
      if (assertion.location) test.location = { file, line: assertion.location.line, column: assertion.location.column };
      if (test.status === 'failed') {
        anyFailed = true;
        test.failure = withMatcherValues(testFailure(assertion.failureMessages?.[0] ?? '', ctx, file), assertion.failureDetails?.[0]);
      }
      tests.push(test);
    }
    // Counted by jest in numRuntimeErrorTestSuites: the file did not load, or a hook outside any test threw.
    if (result.status === 'failed' && !anyFailed) {
      const load: LoadFailure = { suite, file, failure: fileFailure(result.message ?? '', ctx, file) };
      const testFrame = framesOf(stripAnsi(result.message ?? ''), ctx).find((f) => f.file === file);
      const hook = failedHook(result.assertionResults.map((a) => STATUS[a.status]), ctx.root, testFrame);
      if (hook) load.hook = hook;
      loadFailures.push(load);
    }
  }
  return { tests, loadFailures };
}

function testFailure(raw: string, ctx: PathContext, file: string): Failure {
  const text = stripAnsi(raw).trim();
  const shown = relativizeText(text, ctx.root);
  const message = headline(shown) || `${file}: a test failed without an error message`;
  const failure: Failure = { message };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  if (shown) failure.stack = shown;
  const location = pickLocation(framesOf(text, ctx), file);
  if (location) failure.location = location;
  return failure;
}

/** A value as the report holds it (JSON: objects lost their class, undefined its key). */
function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value, null, 2) ?? String(value));
}

/** The matcher's own expected and received, which the message shows only as a diff for objects. */
function withMatcherValues(failure: Failure, detail: unknown): Failure {
  const result = (detail as { matcherResult?: { expected?: unknown; actual?: unknown; pass?: boolean } } | null)?.matcherResult;
  if (!result || result.pass !== false || !('expected' in result || 'actual' in result)) return failure;
  return { ...failure, expected: shown(result.expected), actual: shown(result.actual) };
}

/**
 * A file's message as jest prints it: "● Test suite failed to run", an explanation (for parse
 * errors, a page of advice), then the error. The error line is what says what broke.
 */
function fileFailure(raw: string, ctx: PathContext, file: string): Failure {
  const text = dedent(stripAnsi(raw).replace(/^\s*● Test suite failed to run\s*\n/, '')).trim();
  const shown = relativizeText(text, ctx.root);
  const fromError = fromErrorLine(shown);
  const message = headline(fromError ?? shown) || `${file} failed to load without an error message`;
  const failure: Failure = { message };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  if (shown) failure.stack = shown;
  const location = babelLocation(text, ctx) ?? pickLocation(framesOf(text, ctx), file);
  if (location) failure.location = location;
  return failure;
}

function babelLocation(text: string, ctx: PathContext): SourceLocation | undefined {
  const match = BABEL_SYNTAX.exec(text);
  const file = match && toRepoPath(match[1], ctx);
  return file ? { file, line: Number(match[2]), column: Number(match[3]) } : undefined;
}
