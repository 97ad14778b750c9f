// The first user message of a conversation: the problem, its failures, the code around the
// location, the protected paths, and what was already tried with its verdict, so a retry learns.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contextFor, type ContextBudget } from '../../analysis/index.js';
import { SOURCE_FILE } from '../../analysis/project.js';
import type { Attempt, CodeContext, Problem, SourceLocation } from '../../model.js';
import type { ProposeContext } from '../types.js';
import type { Prompts } from './prompts.js';
import { isInside } from '../../paths.js';

const MAX_FAILURES = 5;
const MAX_STACK_LINES = 25;
/** Lines around the location shown for files ts-morph cannot analyse (Python, Ruby, ...). */
const WINDOW_LINES = 20;
const MAX_HEAD = 120;

/** How the code is shown: the ts-morph slice (default), or the whole failing file (the benchmark's baseline). */
export type ContextMode = 'slice' | 'whole-file';

/**
 * Tighter than the analysis default (6000 characters): the model can read more with its tools,
 * while every character of the first message is paid for on every turn of the conversation.
 */
export const LLM_CONTEXT_BUDGET: ContextBudget = {
  total: 2400,
  windowLines: 8,
  maxReferences: 5,
  maxReferenceChars: 240,
  diagnosticLines: 5,
  maxDiagnostics: 3,
};

export function firstMessage(prompts: Prompts, problem: Problem, ctx: ProposeContext, mode: ContextMode = 'slice', budget = LLM_CONTEXT_BUDGET): string {
  return prompts.problem.render({
    problem: describeProblem(problem),
    failures: describeFailures(problem),
    context: mode === 'whole-file' ? wholeFile(ctx.root, problem.location) : describeContext(ctx, problem.location, budget),
    protected: ctx.protect.map((p) => `- \`${p}\``).join('\n') || '(none)',
    history: describeHistory(ctx.history),
  });
}

function describeProblem(problem: Problem): string {
  const lines = [`${problem.title}`, '', `- kind: ${problem.kind}`];
  if (problem.location) lines.push(`- location: ${where(problem.location)}`);
  lines.push(`- message: ${problem.message}`);
  if (problem.testFiles.length) lines.push(`- test files: ${problem.testFiles.join(', ')}`);
  if (problem.loadFailedFiles.length) lines.push(`- test files that failed to load: ${problem.loadFailedFiles.join(', ')}`);
  lines.push(`- failing tests: ${problem.testIds.length}`);
  if (problem.callee) lines.push(`- the failing assertion checks \`${problem.callee.name}\`, declared at ${where(problem.callee)}`);
  return lines.join('\n');
}

export function describeFailures(problem: Problem): string {
  if (problem.failures.length === 0) return '(none recorded)';
  const shown = problem.failures.slice(0, MAX_FAILURES).map((f, i) => {
    let head = `${i + 1}. ${f.errorName ? `${f.errorName}: ` : ''}${f.message}${f.location ? ` (at ${where(f.location)})` : ''}`;
    // The values an assertion compared, and its diff when the stack does not already hold it.
    if (f.expected !== undefined || f.actual !== undefined) head += `\n   expected: ${f.expected ?? '?'}\n   received: ${f.actual ?? '?'}`;
    if (f.diff && !(f.stack ?? '').includes(f.diff)) head += `\n\n\`\`\`diff\n${f.diff}\n\`\`\``;
    if (!f.stack) return head;
    const stack = f.stack.split('\n').slice(0, MAX_STACK_LINES).join('\n');
    return `${head}\n\n\`\`\`\n${stack}\n\`\`\``;
  });
  const more = problem.failures.length - shown.length;
  return shown.join('\n\n') + (more > 0 ? `\n\n(${more} more; \`list_failures\` shows them all)` : '');
}

function describeContext(ctx: ProposeContext, location: SourceLocation | undefined, budget: ContextBudget): string {
  if (!location) return '(the failure has no source location; use the tools to look around)';
  // Cut again to the provider's own budget; the loop's context (cut for every provider) is the fallback.
  const context = safeContext(ctx.root, location, budget) ?? ctx.context;
  if (context) return renderContext(context);
  return window(ctx.root, location) ?? `(${location.file} cannot be read)`;
}

export function renderContext(c: CodeContext): string {
  const parts: string[] = [];
  if (c.enclosing) {
    const name = c.enclosing.name ? ` ${c.enclosing.name}` : '';
    parts.push(`${c.file}:${c.enclosing.startLine}-${c.enclosing.endLine}, the enclosing ${c.enclosing.kind}${name}:\n\n\`\`\`\n${numbered(c.enclosing.text, c.enclosing.startLine)}\n\`\`\``);
  } else {
    parts.push(`File: ${c.file}`);
  }
  if (c.imports.length) parts.push(`Imports of ${c.file}:\n\n\`\`\`\n${c.imports.join('\n')}\n\`\`\``);
  // A long declaration shows its first line only: where it is and what it is; read_file has the rest.
  const refs = c.referencedDeclarations.map((ref) => `- \`${ref.name}\` at ${ref.file}:${ref.line}: \`${headOf(ref.text)}\``);
  if (refs.length) parts.push(`Declarations it uses:\n${refs.join('\n')}`);
  if (c.diagnostics.length) parts.push(`Compiler diagnostics:\n${c.diagnostics.map((d) => `- ${d.file}:${d.line}:${d.column} TS${d.code}: ${d.message}`).join('\n')}`);
  return parts.join('\n\n');
}

function headOf(text: string): string {
  const lines = text.split('\n');
  const first = lines[0].trim();
  return lines.length > 1 || first.length > MAX_HEAD ? `${first.slice(0, MAX_HEAD)} …` : first;
}

function safeContext(root: string, location: SourceLocation, budget: ContextBudget): CodeContext | undefined {
  if (!SOURCE_FILE.test(location.file)) return undefined;
  try {
    return contextFor(root, location, budget);
  } catch {
    return undefined; // context helps the model; the tools can still fetch code without it
  }
}

/** Numbered lines around the location, for files the TypeScript tooling cannot read. */
function window(root: string, location: SourceLocation): string | undefined {
  const text = readInside(root, location.file);
  if (text === undefined) return undefined;
  const lines = linesOf(text);
  const from = Math.max(1, location.line - WINDOW_LINES);
  const to = Math.min(lines.length, location.line + WINDOW_LINES);
  const slice = lines.slice(from - 1, to).join('\n');
  return `${location.file}:${from}-${to} (of ${lines.length} lines):\n\n\`\`\`\n${numbered(slice, from)}\n\`\`\``;
}

function wholeFile(root: string, location: SourceLocation | undefined): string {
  if (!location) return '(no location)';
  const text = readInside(root, location.file);
  return text === undefined ? `(${location.file} cannot be read)` : `${location.file}:\n\n\`\`\`\n${numbered(linesOf(text).join('\n'), 1)}\n\`\`\``;
}

function readInside(root: string, file: string): string | undefined {
  const abs = path.resolve(root, file);
  if (!isInside(root, abs)) return undefined;
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

export function describeHistory(history: Attempt[]): string {
  if (history.length === 0) return '(none: this is the first attempt)';
  return history
    .map((a, i) => {
      const lines = [`${i + 1}. ${a.title} (${a.provider}): ${verdictOf(a)}`];
      if (a.diff) lines.push('', '```diff', a.diff.trim().split('\n').slice(0, 40).join('\n'), '```');
      return lines.join('\n');
    })
    .join('\n\n');
}

/** "still failing: …" / "broke: …": what the next attempt must do differently. */
export function verdictOf(a: Attempt): string {
  if (a.outcome === 'rejected') return `rejected by the guard: ${a.reason ?? 'no reason given'}`;
  if (a.outcome === 'error') return `error: ${a.reason ?? ''}`;
  const v = a.verdict;
  if (!v) return `${a.outcome}${a.reason ? `: ${a.reason}` : ''}`;
  const parts = [`verdict ${v.kind}`];
  if (v.stillFailing.length) parts.push(`still failing: ${v.stillFailing.slice(0, 10).join(', ')}`);
  if (v.broke.length) parts.push(`broke: ${v.broke.slice(0, 10).join(', ')}`);
  if (v.fixed.length) parts.push(`fixed: ${v.fixed.slice(0, 10).join(', ')}`);
  return parts.join('; ');
}

function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}${loc.column ? `:${loc.column}` : ''}`;
}

export function numbered(text: string, first: number): string {
  const lines = text.split('\n');
  const width = String(first + lines.length - 1).length;
  return lines.map((line, i) => `${String(first + i).padStart(width)}\t${line}`).join('\n');
}

/** The file's lines; the newline that ends the last one does not start another. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
