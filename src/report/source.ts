// The code a problem points at, read from the checkout when the problem is found, so reports show
// the lines themselves (the checkout may be gone, or changed by later fixes, when they are read).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeExcerpt, Problem, SourceLocation } from '../model.js';
import { calleeOf } from './callee.js';

const AROUND = 3;
const MAX_LINE = 200;

/** Lines `around` either side of `at`, or undefined when the file cannot be read or is shorter. */
export function excerptAt(root: string, at: SourceLocation, around = AROUND): CodeExcerpt | undefined {
  let lines: string[];
  try {
    const file = path.resolve(root, at.file);
    if (path.relative(root, file).startsWith('..')) return undefined;
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  if (at.line < 1 || at.line > lines.length) return undefined;
  const startLine = Math.max(1, at.line - around);
  const end = Math.min(lines.length, at.line + around);
  const text = lines.slice(startLine - 1, end).map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE - 1)}…` : l)).join('\n');
  return { file: at.file, line: at.line, startLine, text };
}

/** The problem with the code at its location and at its first failure's test frame, when they differ. */
export function withExcerpts(problem: Problem, root: string): Problem {
  const inTest = problem.location && problem.testFiles.includes(problem.location.file);
  const callee = inTest && problem.kind === 'assertion' ? calleeOf(root, problem.location!) : undefined;
  const places = [problem.location, problem.failures[0]?.testLocation, callee].filter((l): l is SourceLocation => l !== undefined);
  const seen = new Set<string>();
  const excerpts: CodeExcerpt[] = [];
  for (const at of places) {
    const key = `${at.file}:${at.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = excerptAt(root, at);
    if (found) excerpts.push(found);
  }
  return excerpts.length || callee ? { ...problem, ...(excerpts.length ? { excerpts } : {}), ...(callee ? { callee } : {}) } : problem;
}

/** An excerpt with line numbers and a marker on the line pointed at, as runners print code frames. */
export function numbered(excerpt: CodeExcerpt): string {
  const lines = excerpt.text.split('\n');
  const width = String(excerpt.startLine + lines.length - 1).length;
  return lines.map((l, i) => `${excerpt.startLine + i === excerpt.line ? '>' : ' '} ${String(excerpt.startLine + i).padStart(width)} | ${l}`).join('\n');
}
