// The read-only tools the model may call, and their JSON schemas as the Messages API takes them.
// Every answer is plain text; a refusal says why, so the model can try something else.
import { readFileSync, statSync, readdirSync } from 'node:fs';
import type Anthropic from '@anthropic-ai/sdk';
import { ts } from 'ts-morph';
import { projectFor } from '../../analysis/index.js';
import { SOURCE_FILE } from '../../analysis/project.js';
import type { Problem } from '../../model.js';
import { describeFailures, linesOf, numbered } from './first-message.js';
import { resolveInside } from './paths.js';

const MAX_READ_LINES = 400;
const MAX_READ_CHARS = 40_000;
const MAX_RESULTS = 30;

export const TOOLS: Anthropic.Tool[] = [
  {
    name: 'read_file',
    description: 'Read a file of the repository, with line numbers (a tab separates the number from the line; it is not part of the text). Optionally only lines startLine..endLine (1-based, inclusive).',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Repository-relative path' }, startLine: { type: 'integer', minimum: 1 }, endLine: { type: 'integer', minimum: 1 } },
      required: ['path'],
    },
  },
  {
    name: 'find_symbol',
    description: 'Find where a TypeScript/JavaScript symbol (function, class, variable, type, method) is declared. Not available for other languages.',
    input_schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  },
  {
    name: 'find_references',
    description: 'Find the references to the TypeScript/JavaScript symbol at a position (1-based line and column) of a file.',
    input_schema: {
      type: 'object',
      properties: { path: { type: 'string' }, line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } },
      required: ['path', 'line', 'column'],
    },
  },
  {
    name: 'list_failures',
    description: 'List every failure of the problem: message, location and stack.',
    input_schema: { type: 'object', properties: {} },
  },
  {
    name: 'propose_patch',
    description:
      'Propose the fix: edits replace oldText (copied exactly from the file, occurring exactly once in it) with newText. Paths are repository-relative. Ends the conversation when valid.',
    input_schema: {
      type: 'object',
      properties: {
        rationale: { type: 'string', description: 'Why the edit fixes the failures' },
        rootCause: { type: 'string', description: 'Why the tests failed, in one or two sentences' },
        edits: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, oldText: { type: 'string' }, newText: { type: 'string' } },
            required: ['path', 'oldText', 'newText'],
          },
        },
        commit: {
          type: 'object',
          properties: {
            type: { type: 'string', enum: ['fix', 'feat', 'refactor', 'perf', 'test', 'docs', 'build', 'ci', 'chore', 'style', 'revert'] },
            scope: { type: 'string', description: 'One lowercase word naming the module, e.g. env' },
            subject: { type: 'string', description: 'Imperative, lower case, no final period, at most 72 characters' },
            body: { type: 'string' },
          },
          required: ['type', 'subject'],
        },
      },
      required: ['rationale', 'rootCause', 'edits', 'commit'],
    },
  },
];

export interface ToolContext {
  root: string;
  problem: Problem;
  isDenied: (rel: string) => boolean;
  redact: (text: string) => string;
}

/** Runs one read-only tool; `error` marks an answer the model should take as a refusal. */
export function runTool(name: string, input: unknown, ctx: ToolContext): { text: string; error?: boolean } {
  const args = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  try {
    switch (name) {
      case 'read_file':
        return readTool(args, ctx);
      case 'find_symbol':
        return findSymbol(args, ctx);
      case 'find_references':
        return findReferences(args, ctx);
      case 'list_failures':
        return { text: ctx.redact(describeFailures({ ...ctx.problem, failures: ctx.problem.failures })) };
      default:
        return { text: `Unknown tool "${name}". Tools: read_file, find_symbol, find_references, list_failures, propose_patch.`, error: true };
    }
  } catch (err) {
    return { text: `${name} failed: ${(err as Error).message}`, error: true };
  }
}

function readTool(args: Record<string, unknown>, ctx: ToolContext): { text: string; error?: boolean } {
  const where = resolveInside(ctx.root, String(args.path ?? ''));
  if (!where.ok) return { text: `read_file refused: ${where.reason}`, error: true };
  if (ctx.isDenied(where.rel)) return { text: `read_file refused: ${where.rel} may hold secrets (llm.readDenylist)`, error: true };
  let stat;
  try {
    stat = statSync(where.abs);
  } catch {
    return { text: `read_file: ${where.rel} does not exist`, error: true };
  }
  if (stat.isDirectory()) {
    const entries = readdirSync(where.abs, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    return { text: `${where.rel} is a directory:\n${entries.sort().join('\n')}` };
  }
  const lines = linesOf(readFileSync(where.abs, 'utf8'));
  const start = clampLine(args.startLine, 1, lines.length);
  const end = Math.min(clampLine(args.endLine, lines.length, lines.length), start + MAX_READ_LINES - 1);
  let body = numbered(lines.slice(start - 1, end).join('\n'), start);
  if (body.length > MAX_READ_CHARS) body = `${body.slice(0, MAX_READ_CHARS)}\n…`;
  const more = end < lines.length ? `\n(lines ${end + 1}-${lines.length} not shown)` : '';
  return { text: ctx.redact(`${where.rel}:${start}-${end} of ${lines.length}\n${body}${more}`) };
}

function clampLine(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'number' && Number.isInteger(value) ? value : fallback;
  return Math.min(Math.max(n, 1), Math.max(max, 1));
}

function findSymbol(args: Record<string, unknown>, ctx: ToolContext): { text: string; error?: boolean } {
  const name = String(args.name ?? '').trim();
  if (!name) return { text: 'find_symbol: name is empty', error: true };
  const analysis = projectFor(ctx.root);
  if (analysis.project.getSourceFiles().length === 0) {
    return { text: 'find_symbol is not available: this repository has no TypeScript or JavaScript files. Use read_file.', error: true };
  }
  const items = analysis.languageService
    .getNavigateToItems(name, 200, undefined, true, true)
    .filter((item) => item.name === name && analysis.isInside(item.fileName) && !item.fileName.includes('/node_modules/'))
    .slice(0, MAX_RESULTS);
  if (items.length === 0) return { text: `No declaration of "${name}" in the repository's TypeScript/JavaScript files.` };
  return {
    text: items
      .map((item) => {
        const sf = analysis.sourceFile(item.fileName);
        const line = sf ? sf.getLineAndColumnAtPos(item.textSpan.start).line : 0;
        const text = sf ? sf.getFullText().split('\n')[line - 1]?.trim() : '';
        return `${analysis.relative(item.fileName)}:${line} ${item.kind} ${item.containerName ? `${item.containerName}.` : ''}${item.name}: ${text}`;
      })
      .join('\n'),
  };
}

function findReferences(args: Record<string, unknown>, ctx: ToolContext): { text: string; error?: boolean } {
  const where = resolveInside(ctx.root, String(args.path ?? ''));
  if (!where.ok) return { text: `find_references refused: ${where.reason}`, error: true };
  if (!SOURCE_FILE.test(where.rel)) return { text: `find_references is not available for ${where.rel}: only TypeScript/JavaScript files are analysed. Use read_file.`, error: true };
  const analysis = projectFor(ctx.root);
  const sf = analysis.sourceFile(where.rel);
  if (!sf) return { text: `find_references: cannot load ${where.rel}`, error: true };
  const line = Number(args.line);
  const column = Number(args.column);
  let pos: number;
  try {
    pos = ts.getPositionOfLineAndCharacter(sf.compilerNode, line - 1, column - 1);
  } catch {
    return { text: `find_references: ${where.rel} has no line ${line}, column ${column}`, error: true };
  }
  const found = analysis.languageService.findReferences(sf.getFilePath(), pos) ?? [];
  const refs = found.flatMap((s) => s.references).filter((r) => analysis.isInside(r.fileName) && !r.fileName.includes('/node_modules/'));
  if (refs.length === 0) return { text: `No symbol with references at ${where.rel}:${line}:${column}.` };
  return {
    text: refs
      .slice(0, MAX_RESULTS)
      .map((r) => {
        const file = analysis.sourceFile(r.fileName);
        const at = file ? file.getLineAndColumnAtPos(r.textSpan.start) : { line: 0, column: 0 };
        const text = file ? file.getFullText().split('\n')[at.line - 1]?.trim() : '';
        return `${analysis.relative(r.fileName)}:${at.line}:${at.column}${r.isDefinition ? ' (definition)' : ''}: ${text}`;
      })
      .join('\n'),
  };
}
