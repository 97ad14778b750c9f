import { createHash } from 'node:crypto';
import type { Failure, FailureKind, HookName, Problem, SourceLocation, TestRun } from '../model.js';
import { failureKind, failureText, isProjectFile, tsDiagnostics } from './diagnostics.js';
import { isMissingDependency } from '../runners/missing.js';

interface Entry {
  failure: Failure;
  file: string;
  testId?: string;
  hook?: HookName;
}

/** The message without its class name, quoted values and numbers: what stays the same while a bug does. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/^(?:[A-Z][\w$]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?:\s*/, '')
    .replace(/(['"`])(?:(?!\1).)*\1/g, '<v>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

export function problemId(kind: FailureKind, where: string, message: string): string {
  return createHash('sha1').update(`${kind}\n${where}\n${normalizeMessage(message)}`).digest('hex').slice(0, 12);
}

// Problems that stop whole files from loading hide every test in them: they come first.
function rank(problem: Problem): number {
  if (problem.kind === 'syntax') return 0;
  if (problem.kind === 'module-load') return 1;
  return problem.loadFailedFiles.length > 0 ? 2 : 3;
}

const TITLE_MESSAGE = 200;

function titleOf(failure: Failure, location: SourceLocation | undefined): string {
  let named =
    failure.errorName && !failure.message.startsWith(failure.errorName) ? `${failure.errorName}: ${failure.message}` : failure.message;
  if (named.length > TITLE_MESSAGE) named = `${named.slice(0, TITLE_MESSAGE - 1)}…`;
  return location ? `${named} (${location.file}:${location.line})` : named;
}

// Runs read by fixloop's runners are located already (runners/settle.ts); a run made some other
// way (an SDK user's) gets a TypeScript error's place from its text when the path printed there
// is repository-relative.
function located(failure: Failure): Failure {
  if (failure.location) return failure;
  const d = tsDiagnostics(failureText(failure)).find((found) => isProjectFile(found.file));
  return d ? { ...failure, location: { file: d.file, line: d.line, column: d.column } } : failure;
}

// A name that is not declared, as JavaScript, Python and TypeScript say it.
const MISSING_NAME = [/^(?:ReferenceError: )?([\w$]+) is not defined\b/, /^(?:NameError: )?name '([\w]+)' is not defined\b/, /Cannot find name '([\w$]+)'/];

/** The undeclared name a reference error is about, or undefined. */
export function missingName(failure: Failure): string | undefined {
  for (const pattern of MISSING_NAME) {
    const match = pattern.exec(failure.message);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * What makes two failures one problem: the same error at the same line; for a name that is not
 * declared, the same name anywhere in the same file (one deleted import fails every line that
 * uses it, each test at a different line).
 */
function groupKey(kind: FailureKind, failure: Failure, testFile: string): string {
  const file = failure.location?.file ?? testFile;
  const name = kind === 'reference' ? missingName(failure) : undefined;
  if (name) return `${file}#${name}`;
  return failure.location ? `${failure.location.file}:${failure.location.line}` : testFile;
}

/**
 * One problem per root cause: failing tests and files that failed to load are grouped by where
 * the code broke (file and line) and what broke there. Suites with a blocker could not judge the
 * code, so they contribute nothing. Ordered most masking first, then by how much each explains.
 */
export function groupProblems(run: TestRun): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (entry: Entry, loadFailed: boolean): void => {
    const failure = located(entry.failure);
    const kind = failureKind(failure);
    // Without a location the test file is the best-known place; no line is made up for it.
    const id = problemId(kind, groupKey(kind, failure, entry.file), failure.message);
    let problem = problems.get(id);
    if (!problem) {
      problem = {
        id,
        kind,
        title: `${entry.hook ? `${entry.hook} failed in ${entry.file}: ` : ''}${titleOf(failure, failure.location)}`,
        message: failure.message,
        ...(failure.location ? { location: { ...failure.location } } : {}),
        testIds: [],
        loadFailedFiles: [],
        testFiles: [],
        failures: [],
      };
      problems.set(id, problem);
    }
    if (entry.testId && !problem.testIds.includes(entry.testId)) problem.testIds.push(entry.testId);
    if (loadFailed && !problem.loadFailedFiles.includes(entry.file)) problem.loadFailedFiles.push(entry.file);
    if (!problem.testFiles.includes(entry.file)) problem.testFiles.push(entry.file);
    problem.failures.push(failure);
  };

  for (const suite of run.suites) {
    if (suite.blocker) continue;
    // What a missing dependency explains is the environment's to fix: a blocker, never a problem.
    for (const load of suite.loadFailures) if (!isMissingDependency(suite, load.file)) add({ failure: load.failure, file: load.file, ...(load.hook ? { hook: load.hook } : {}) }, true);
    for (const test of suite.tests) {
      if (test.status !== 'failed' || isMissingDependency(suite, test.file, test.id)) continue;
      const failure = test.failure ?? { message: `${test.fullName} failed without an error` };
      add({ failure, file: test.file, testId: test.id }, false);
    }
  }

  const ordered = [...problems.values()];
  for (const problem of ordered) problem.testFiles.sort();
  const affected = (problem: Problem): number => problem.testIds.length + problem.loadFailedFiles.length;
  return ordered.sort((a, b) => rank(a) - rank(b) || affected(b) - affected(a));
}
