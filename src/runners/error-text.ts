// Reading errors as runners print them: headlines, error class names, stack frames and the
// locations that code frames point at. Shared by the runner parsers; knows no runner's layout.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { SourceLocation } from '../model.js';

/** Where the runner ran (`runDir`, which relative paths in its output are relative to) and the repository root. */
export interface PathContext {
  root: string;
  runDir: string;
}

const MAX_MESSAGE = 500;

/**
 * Plain text from what a runner printed in colour; also the colour codes pytest writes into JUnit
 * XML, where the escape character cannot appear and becomes the text "#x1B".
 */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text).replace(/#x1B\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n?/g, '\n');
}

/**
 * A printed path as repository-relative with forward slashes, or undefined for what is no file
 * on disk (node:internal/..., <anonymous>, data: URLs).
 */
export function toRepoPath(printed: string, ctx: PathContext): string | undefined {
  let file = printed.trim();
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file.replace(/[?#].*$/, ''));
    } catch {
      return undefined;
    }
  } else if (/^[a-z][\w+.-]+:/i.test(file) || file.startsWith('<')) {
    return undefined;
  }
  const relative = path.relative(ctx.root, path.resolve(ctx.runDir, file));
  return relative.split(path.sep).join('/');
}

/** Inside the repository and not a dependency: a place a fix could be made. */
export function isRepoFile(file: string): boolean {
  return (
    file !== '' &&
    file !== '..' &&
    !file.startsWith('../') &&
    !path.isAbsolute(file) &&
    !file.split('/').includes('node_modules')
  );
}

/** Absolute paths under the root become repository-relative, so messages are the same in every checkout. */
export function relativizeText(text: string, root: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return text.split(`file://${prefix}`).join('').split(prefix).join('');
}

// Stack frames and code-frame pointers, in the shapes seen in real output.
const FRAME_PATTERNS: RegExp[] = [
  /^\s*at .*\((.+?):(\d+):(\d+)\)\s*$/, // V8: at fn (file:1:2)
  /^\s*at (?:async )?([^\s()]+?):(\d+):(\d+)\s*$/, // V8: at file:1:2
  /^\s*[❯›>] (?:.* )?(\S+?):(\d+):(\d+)\s*$/, // vitest default reporter: ❯ fn file:1:2
  /─\[\s*([^\s\]]+?):(\d+):(\d+)\s*\]/, // oxc/rolldown diagnostics: ╭─[ src/x.ts:3:18 ]
  /^\s*File:\s+(\S+?):(\d+)(?::(\d+))?\s*$/, // vite plugin errors: File: /abs/src/y.js:3:1
  /^\s*(\S+?):(\d+):(\d+):? (?:ERROR|error)\b/, // esbuild: /abs/src/x.ts:3:18: ERROR: ...
];

export function isFrameLine(line: string): boolean {
  return FRAME_PATTERNS.slice(0, 3).some((pattern) => pattern.test(line));
}

/** Every location the text points at, in order, that lies inside the repository. */
export function framesOf(text: string, ctx: PathContext): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of text.split('\n')) {
    for (const pattern of FRAME_PATTERNS) {
      const match = pattern.exec(line);
      if (!match) continue;
      const file = toRepoPath(match[1], ctx);
      if (file !== undefined && isRepoFile(file)) {
        const frame: SourceLocation = { file, line: Number(match[2]) };
        if (match[3] !== undefined) frame.column = Number(match[3]);
        frames.push(frame);
      }
      break;
    }
  }
  return frames;
}

/**
 * Where the code broke: the first frame outside the test file, because a failing test usually
 * points at the code under test; the test file itself only when nothing else is in the stack.
 */
export function pickLocation(frames: SourceLocation[], testFile: string): SourceLocation | undefined {
  return frames.find((frame) => frame.file !== testFile) ?? frames[0];
}

/**
 * The first line of an error; when that line only announces what follows ("Transform failed
 * with 1 error:"), the line that says what went wrong is joined to it.
 */
export function headline(text: string): string {
  const parts: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (isFrameLine(raw)) break;
    if (line === '') {
      if (parts.length === 0 || parts[parts.length - 1].endsWith(':')) continue;
      break;
    }
    parts.push(line);
    if (!line.endsWith(':') || parts.length >= 3) break;
  }
  const joined = parts.join(' ');
  return joined.length > MAX_MESSAGE ? `${joined.slice(0, MAX_MESSAGE - 1)}…` : joined;
}

/** "TypeError: x" -> "TypeError"; "Error [ERR_X]: y" -> "Error". */
export function errorNameOf(message: string): string | undefined {
  return /^([A-Z][\w$]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?:\s/.exec(message)?.[1];
}

const ERROR_LINE = /^\s*(?:[A-Z][\w$.]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?: /;

/** The text from the first line that starts with an error class ("SyntaxError: ..."), or undefined. */
export function fromErrorLine(text: string): string | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => ERROR_LINE.test(line));
  return at < 0 ? undefined : lines.slice(at).map((line) => line.trim() === '' ? '' : line).join('\n').trim();
}

/** Removes the indentation every non-blank line shares. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(cut)).join('\n');
}

/** The first line of output that looks like an error, for one-line explanations. */
export function firstErrorLine(output: string): string {
  const lines = stripAnsi(output).split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /error|cannot|not found|failed/i.test(l) && !/^npm warn/i.test(l));
  return (error ?? lines.at(-1) ?? 'no output').slice(0, 300);
}
