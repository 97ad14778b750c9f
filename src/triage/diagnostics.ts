// Locations written inside a failure's text rather than in its stack: TypeScript diagnostics, as
// ts-jest and tsc print them ("src/x.ts:489:53 - error TS2448: …", "src/x.ts(489,53): error
// TS2448: …"), and Python tracebacks ('File "/abs/src/x.py", line 4, in f'). A type error that
// fails 39 test files is then one problem at its line, not 39 problems at no place.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Failure, FailureKind, SourceLocation } from '../model.js';
import { isRepoFile, pickLocation, stripAnsi, toRepoPath, type PathContext } from '../runners/error-text.js';
import { pythonFrames } from '../runners/pytest/text.js';
import { classifyFailure } from './classify.js';

export interface TsDiagnostic {
  /** As printed: relative to the directory the compiler ran in, or absolute. */
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

const TS_PRETTY = /^\s*(\S+?):(\d+):(\d+) - error TS(\d+): (.*)$/;
const TS_PLAIN = /^\s*(\S+?)\((\d+),(\d+)\): error TS(\d+): (.*)$/;

/** The TypeScript errors a text reports, in order. */
export function tsDiagnostics(text: string): TsDiagnostic[] {
  const found: TsDiagnostic[] = [];
  for (const line of stripAnsi(text).split('\n')) {
    const m = TS_PRETTY.exec(line) ?? TS_PLAIN.exec(line);
    if (m) found.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), code: Number(m[4]), message: m[5].trim() });
  }
  return found;
}

/** All a failure says: its message, then its stack (which for some runners repeats the message). */
export function failureText(failure: Failure): string {
  return failure.stack ? `${failure.message}\n${failure.stack}` : failure.message;
}

// TS1xxx are the parser's errors; these say an import cannot be resolved; these a name is not declared.
const MODULE_CODES = new Set([2305, 2306, 2307, 2792]);
const NAME_CODES = new Set([2304, 2552]);

/** What kind of failure a TypeScript error code is. */
export function tsKind(code: number): FailureKind {
  if (code >= 1000 && code < 2000) return 'syntax';
  if (MODULE_CODES.has(code)) return 'module-load';
  if (NAME_CODES.has(code)) return 'reference';
  return 'type';
}

/**
 * The kind of a failure: a TypeScript error in its text decides (the compiler said what is wrong,
 * whatever the runner wrapped it in); otherwise the error class and message (classifyFailure).
 */
export function failureKind(failure: Failure): FailureKind {
  const [first] = tsDiagnostics(failureText(failure));
  return first ? tsKind(first.code) : classifyFailure(failure);
}

/** Inside the repository, and neither a dependency of JavaScript nor of Python. */
export function isProjectFile(file: string): boolean {
  return isRepoFile(file) && !file.split('/').some((part) => part === 'site-packages' || part === 'dist-packages');
}

/**
 * A printed path as repository-relative. Compilers print paths relative to where they ran, but a
 * parser may already have made absolute ones relative to the root: when the file is not there
 * under the run directory but is under the root, the root is meant.
 */
function repoPath(printed: string, ctx: PathContext): string | undefined {
  const file = toRepoPath(printed, ctx);
  if (file === undefined || path.isAbsolute(printed) || ctx.runDir === ctx.root) return file;
  const underRoot = path.resolve(ctx.root, printed);
  return !existsSync(path.resolve(ctx.runDir, printed)) && existsSync(underRoot) ? path.relative(ctx.root, underRoot).split(path.sep).join('/') : file;
}

/** Where the first TypeScript error of a failure's text is, when it lies in the project. */
export function diagnosticLocation(failure: Failure, ctx: PathContext): SourceLocation | undefined {
  for (const d of tsDiagnostics(failureText(failure))) {
    const file = repoPath(d.file, ctx);
    if (file !== undefined && isProjectFile(file)) return { file, line: d.line, column: d.column };
  }
  return undefined;
}

/**
 * Where a Python traceback in a failure's text says it broke: the deepest frame in the project
 * (not an installed package), and not the test file when a frame of the code under test exists.
 */
export function tracebackLocation(failure: Failure, ctx: PathContext, testFile: string): SourceLocation | undefined {
  return pickLocation(pythonFrames(stripAnsi(failureText(failure)), ctx).filter((f) => isProjectFile(f.file)), testFile);
}

/**
 * The location a failure's own text gives, when it says more than the runner's: a TypeScript
 * error's place always; a Python traceback's when the runner gave none, or only the test file,
 * or a place outside the project.
 */
export function locateInMessage(failure: Failure, ctx: PathContext, testFile: string): SourceLocation | undefined {
  const diagnostic = diagnosticLocation(failure, ctx);
  if (diagnostic) return diagnostic;
  const known = failure.location;
  if (known && known.file !== testFile && isProjectFile(known.file)) return undefined;
  const traced = tracebackLocation(failure, ctx, testFile);
  return traced && (!known || traced.file !== known.file || traced.line !== known.line) ? traced : undefined;
}
