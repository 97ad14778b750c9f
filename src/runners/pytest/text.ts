// Reading pytest's failure text: the traceback's frames ("src/env.py:1: in <module>", and
// CPython's 'File "/abs/src/x.py", line 4' for syntax errors) and its "E   " error lines.
import type { Failure, LoadFailure, SourceLocation } from '../../model.js';
import { headline, isRepoFile, pickLocation, relativizeText, stripAnsi, toRepoPath, type PathContext } from '../error-text.js';

const SHORT_FRAME = /^(\S+\.py):(\d+): /;
const CPYTHON_FRAME = /File "([^"]+\.py)", line (\d+)/;

/** In-repository frames, innermost first (Python prints the outermost first). */
export function pythonFrames(text: string, ctx: PathContext): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of text.split('\n')) {
    const match = SHORT_FRAME.exec(line) ?? CPYTHON_FRAME.exec(line);
    if (!match) continue;
    const file = toRepoPath(match[1], ctx);
    if (file !== undefined && isRepoFile(file)) frames.push({ file, line: Number(match[2]) });
  }
  return frames.reverse();
}

/** The exception pytest reports: the last "E   Name: message" line, else the last "file:line: Name" line. */
export function pythonError(text: string): { name?: string; message?: string } {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const e = /^E\s+((?:[A-Z]\w*\.)*([A-Z]\w*(?:Error|Exception|Exit|Interrupt)|AssertionError)): ?(.*)$/.exec(lines[i]);
    if (e) return { name: e[2], message: `${e[2]}: ${e[3]}`.trim() };
  }
  const last = /^\S+\.py:\d+: ([A-Z]\w*)$/m.exec(lines.filter((line) => line.trim()).slice(-1)[0] ?? '');
  return last ? { name: last[1] } : {};
}

const CONFTEST_FAILED = /^ImportError while loading conftest '([^']+)'\.\s*$/;

/**
 * pytest stops before collecting (exit 4, no JUnit report) when a conftest.py it loads at start
 * raises: "ImportError while loading conftest '<abs>/tests/conftest.py'." and a short traceback,
 * whatever the error (a SyntaxError or NameError in a module the conftest imports). That is the
 * conftest failing to load, located at the error's place in the project, not an environment that
 * cannot run the suite; a module that is not installed is still told apart later (markMissing).
 */
export function conftestLoadFailures(output: string, ctx: PathContext, suite: string): LoadFailure[] {
  const lines = stripAnsi(output).split('\n');
  const failures: LoadFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = CONFTEST_FAILED.exec(lines[i]);
    const conftest = start && toRepoPath(start[1], ctx);
    if (!conftest || !isRepoFile(conftest)) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '');
    const body = lines.slice(i + 1, end < 0 ? undefined : end).join('\n');
    const error = pythonError(body);
    const shown = relativizeText(body, ctx.root);
    const failure: Failure = { message: relativizeText(error.message || headline(shown) || lines[i], ctx.root), stack: shown };
    if (error.name) failure.errorName = error.name;
    const location = pickLocation(pythonFrames(body, ctx), conftest);
    if (location) failure.location = location;
    failures.push({ suite, file: conftest, failure });
  }
  return failures;
}
