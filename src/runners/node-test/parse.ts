// Reads what reporter.mjs wrote during a `node --test` run: one JSON object per line.
// A file that fails to load shows up as a failing wrapper named by the file, with "test failed"
// only; the error itself is what the file's process printed on stderr.
import { z } from 'zod';
import type { Failure, LoadFailure, TestCase } from '../../model.js';
import { errorNameOf, framesOf, fromErrorLine, headline, pickLocation, relativizeText, stripAnsi, toRepoPath, type PathContext } from '../error-text.js';
import { testId } from '../results.js';

export interface NodeTestResults {
  tests: TestCase[];
  loadFailures: LoadFailure[];
}

const ErrorSchema = z.object({
  failureType: z.string().nullish(),
  name: z.string().nullish(),
  message: z.string(),
  code: z.string().nullish(),
  stack: z.string().nullish(),
  expected: z.string().nullish(),
  actual: z.string().nullish(),
});

const RecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('test'),
    file: z.string().nullish(),
    line: z.number().int().nullish(),
    column: z.number().int().nullish(),
    names: z.array(z.string()),
    status: z.enum(['passed', 'failed', 'skipped', 'todo']),
    durationMs: z.number().nullish(),
    error: ErrorSchema.nullish(),
  }),
  z.object({ type: z.literal('file'), file: z.string(), error: ErrorSchema.nullish() }),
  z.object({ type: z.literal('file-passed'), file: z.string() }),
  z.object({ type: z.enum(['stderr', 'stdout']), file: z.string().nullish(), text: z.string() }),
  z.object({ type: z.literal('diagnostic'), file: z.string().nullish(), message: z.string() }),
]);

type ErrorRecord = z.infer<typeof ErrorSchema>;

export function parseNodeTestReport(ndjson: string, suite: string, ctx: PathContext): NodeTestResults {
  const tests: TestCase[] = [];
  const failedFiles: { file: string; error?: ErrorRecord | null }[] = [];
  const stderr = new Map<string, string[]>();
  const lines = ndjson.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = RecordSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`Not a fixloop node:test report (suite "${suite}"), line ${index + 1}: ${parsed.error.issues[0]?.message}`);
    const record = parsed.data;
    if (record.type === 'test') {
      const file = record.file ? repoPath(record.file, ctx) : '(unknown file)';
      const fullName = record.names.join(' > ');
      const test: TestCase = { id: testId(suite, file, fullName), suite, file, fullName, status: record.status };
      if (record.durationMs != null) test.durationMs = Math.round(record.durationMs);
      if (record.line != null) test.location = { file, line: record.line, ...(record.column != null ? { column: record.column } : {}) };
      if (record.status === 'failed') test.failure = testFailure(record.error, ctx, file);
      tests.push(test);
    } else if (record.type === 'file-passed') {
      // A file that declared no test, run and passed: node counts it as a test named by the file.
      const file = repoPath(record.file, ctx);
      tests.push({ id: testId(suite, file, file), suite, file, fullName: file, status: 'passed' });
    } else if (record.type === 'file') {
      failedFiles.push({ file: record.file, error: record.error });
    } else if (record.type === 'stderr' && record.file) {
      const chunks = stderr.get(record.file) ?? [];
      chunks.push(record.text);
      stderr.set(record.file, chunks);
    }
  });

  const loadFailures: LoadFailure[] = [];
  for (const { file: printed, error } of failedFiles) {
    const file = repoPath(printed, ctx);
    // A file whose own tests failed is explained by them; the wrapper failing too says nothing new.
    if (tests.some((t) => t.file === file && t.status === 'failed')) continue;
    loadFailures.push({ suite, file, failure: fileFailure((stderr.get(printed) ?? []).join(''), error, ctx, file) });
  }
  return { tests, loadFailures };
}

function repoPath(printed: string, ctx: PathContext): string {
  return toRepoPath(printed, ctx) ?? printed;
}

function testFailure(error: ErrorRecord | null | undefined, ctx: PathContext, file: string): Failure {
  if (!error) return { message: `${file}: a test failed without an error` };
  const stack = stripAnsi(error.stack ?? '');
  // A stack starts "AssertionError [ERR_ASSERTION]: ..."; without one, the name and message make the headline.
  const first = stack ? headline(stack) : '';
  const message = first || headline(error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message) || error.failureType || 'failed';
  const failure: Failure = { message: relativizeText(message, ctx.root) };
  const errorName = error.name ?? errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  if (stack) failure.stack = relativizeText(stack, ctx.root);
  const location = pickLocation(framesOf(stack, ctx), file);
  if (location) failure.location = location;
  if (error.expected != null && error.actual != null) {
    failure.expected = error.expected;
    failure.actual = error.actual;
  }
  return failure;
}

// Node prints an uncaught error's origin first: "file:///abs/src/env.js:1", then the code line and a caret.
const ORIGIN = /^(file:\/\/\S+|\/\S+):(\d+)$/;

function fileFailure(printed: string, error: ErrorRecord | null | undefined, ctx: PathContext, file: string): Failure {
  const text = stripAnsi(printed).replace(/\n*Node\.js v[\d.]+\s*$/, '').trim();
  const shown = relativizeText(text, ctx.root);
  const message =
    headline(fromErrorLine(shown) ?? '') || headline(shown) || `${file} failed outside its tests: it did not load, or its process exited (${error?.message ?? 'no output'})`;
  const failure: Failure = { message };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  if (shown) failure.stack = shown;
  const origin = ORIGIN.exec(text.split('\n')[0] ?? '');
  const originFile = origin ? toRepoPath(origin[1], ctx) : undefined;
  const location =
    originFile && !originFile.startsWith('..') ? { file: originFile, line: Number(origin![2]) } : pickLocation(framesOf(text, ctx), file);
  if (location) failure.location = location;
  return failure;
}
