// Reading pytest's failure text: the traceback's frames ("src/env.py:1: in <module>", and
// CPython's 'File "/abs/src/x.py", line 4' for syntax errors) and its "E   " error lines.
import type { SourceLocation } from '../../model.js';
import { isRepoFile, toRepoPath, type PathContext } from '../error-text.js';

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
