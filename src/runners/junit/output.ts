// Load failures that a JUnit writer leaves out of its report and only its command's output tells:
// mocha ending the whole run at the first test file that fails to load ("Exception during run:",
// no report written), and Go packages that do not compile (gotestsum writes the other packages'
// tests and only counts the broken ones in `errors`). Each reader recognises its runner's own
// markers and nothing else: arbitrary output never becomes a load failure.
import type { Failure, LoadFailure, SourceLocation } from '../../model.js';
import {
  errorNameOf,
  framesOf,
  fromErrorLine,
  headline,
  isFrameLine,
  isRepoFile,
  relativizeText,
  stripAnsi,
  toRepoPath,
  type PathContext,
} from '../error-text.js';

/** Every load failure the output of a JUnit-writing command shows, by the runners this knows. */
export function outputLoadFailures(output: string, ctx: PathContext, suite: string): LoadFailure[] {
  return [...mochaLoadFailures(output, ctx, suite), ...goBuildFailures(output, ctx, suite)];
}

const MOCHA_EXCEPTION = /^\s*Exception during run: (.*)$/;
// Node prints a SyntaxError's origin first: "/abs/src/syntax.js:3" (or a file: URL), then the code line and a caret.
const ORIGIN = /^(file:\/\/\S+|\/\S+):(\d+)$/;

/**
 * mocha loads every test file before running any, and the first one that throws ends the run:
 * " Exception during run: <error and stack>". That is a load failure of the test file, when the
 * error lies in the repository (a reporter or mocha itself crashing, in node_modules or outside
 * the checkout, is not). The test file is the outermost frame in the repository, the one mocha
 * loaded; when the stack does not reach it (no frame of the repository), the erring file stands for it.
 */
export function mochaLoadFailures(output: string, ctx: PathContext, suite: string): LoadFailure[] {
  const lines = stripAnsi(output).split('\n');
  const start = lines.findIndex((line) => MOCHA_EXCEPTION.test(line));
  if (start < 0) return [];
  const block = [MOCHA_EXCEPTION.exec(lines[start])![1]];
  let inStack = false;
  for (const line of lines.slice(start + 1)) {
    // "at new Promise (<anonymous>)" has no place but is still part of the stack.
    const frame = isFrameLine(line) || /^\s+at \S/.test(line);
    // The stack ends the error: what follows (npm's own complaint, a shell's) is not part of it.
    if (inStack && !frame) break;
    inStack ||= frame;
    block.push(line);
  }
  const text = block.join('\n').trimEnd();
  const origin = ORIGIN.exec(block[0].trim());
  const originFile = origin ? toRepoPath(origin[1], ctx) : undefined;
  const frames = framesOf(text, ctx);
  const location: SourceLocation | undefined =
    originFile !== undefined && isRepoFile(originFile) ? { file: originFile, line: Number(origin![2]) } : frames[0];
  if (!location) return [];
  const shown = relativizeText(text, ctx.root);
  const message = headline(fromErrorLine(shown) ?? '') || headline(shown);
  const failure: Failure = { message };
  const errorName = errorNameOf(message);
  if (errorName) failure.errorName = errorName;
  failure.stack = shown;
  failure.location = location;
  return [{ suite, file: frames.at(-1)?.file ?? location.file, failure }];
}

// go's build output: "# example.com/m/pkg [example.com/m/pkg.test]", then "pkg/x.go:9:10: undefined: y".
const GO_PACKAGE = /^# (\S+)(?: \[(\S+)\])?\s*$/;
const GO_ERROR = /^(\S+\.go):(\d+)(?::(\d+))?: (.+)$/;
const GO_BUILD_FAILED = /FAIL\t(\S+) \[(?:build|setup) failed\]/g;

interface GoError {
  line: string;
  file: string;
  at: number;
  column?: number;
  message: string;
}

function goError(line: string): GoError | undefined {
  const match = GO_ERROR.exec(line);
  if (!match) return undefined;
  return { line, file: match[1], at: Number(match[2]), ...(match[3] !== undefined ? { column: Number(match[3]) } : {}), message: match[4] };
}

/**
 * A Go package that does not compile: `go test` prints "# <pkg>" and the compiler's errors, and
 * "FAIL\t<pkg> [build failed]" (or "[setup failed]"); gotestsum repeats the errors under
 * "=== Errors". A "# <pkg>" block counts when either marker confirms it; errors under "=== Errors"
 * that no such block printed count on their own, one failure per package directory. The failure
 * is filed under the first error's .go file (paths are relative to where go ran), with its message.
 */
export function goBuildFailures(output: string, ctx: PathContext, suite: string): LoadFailure[] {
  const text = stripAnsi(output);
  const lines = text.split('\n');
  const failed = new Set([...text.matchAll(GO_BUILD_FAILED)].map((match) => match[1]));
  const marker = lines.indexOf('=== Errors');
  const listed: GoError[] = [];
  if (marker >= 0) {
    for (const line of lines.slice(marker + 1)) {
      if (line.trim() === '') break;
      const error = goError(line);
      if (error) listed.push(error);
    }
  }
  const listedLines = new Set(listed.map((error) => error.line));

  const failures: LoadFailure[] = [];
  const seen = new Set<string>();
  const covered = new Set<string>();
  lines.forEach((line, index) => {
    const header = GO_PACKAGE.exec(line);
    if (!header) return;
    const block = [line];
    const errors: GoError[] = [];
    for (const next of lines.slice(index + 1)) {
      const error = goError(next);
      // The compiler indents what belongs to the error above ("\thave (int)", "\twant ()").
      if (!error && !/^\t\S/.test(next)) break;
      if (error) errors.push(error);
      block.push(next);
    }
    const pkg = header[1];
    const tested = header[2]?.replace(/\.test$/, '');
    const confirmed = failed.has(pkg) || (tested !== undefined && failed.has(tested)) || errors.some((error) => listedLines.has(error.line));
    if (!errors.length || !confirmed || seen.has(pkg)) return;
    seen.add(pkg);
    for (const error of errors) covered.add(error.line);
    failures.push(goFailure(errors[0], block.join('\n'), tested ?? pkg, ctx, suite));
  });

  const byDir = new Map<string, GoError[]>();
  for (const error of listed) {
    if (covered.has(error.line)) continue;
    const dir = error.file.includes('/') ? error.file.slice(0, error.file.lastIndexOf('/')) : '.';
    byDir.set(dir, [...(byDir.get(dir) ?? []), error]);
  }
  for (const [dir, errors] of byDir) failures.push(goFailure(errors[0], errors.map((error) => error.line).join('\n'), dir, ctx, suite));
  return failures;
}

function goFailure(first: GoError, block: string, pkg: string, ctx: PathContext, suite: string): LoadFailure {
  const repoFile = toRepoPath(first.file, ctx);
  const inRepo = repoFile !== undefined && isRepoFile(repoFile);
  const failure: Failure = { message: relativizeText(first.message, ctx.root), stack: relativizeText(block, ctx.root) };
  // An error in a file outside the checkout (a dependency) has no place to fix here: the package stands for it.
  if (inRepo) failure.location = { file: repoFile, line: first.at, ...(first.column !== undefined ? { column: first.column } : {}) };
  return { suite, file: inRepo ? repoFile : pkg, failure };
}
