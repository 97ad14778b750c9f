import path from 'node:path';
import { CommitParser } from 'conventional-commits-parser';
import type { CommitIntent, Totals } from '../model.js';
import { stripControl } from '../safe-text.js';
import { secretRedactor } from '../secrets.js';
import { formatTotals } from '../test-run.js';

// The CLI and SDK users have read totals from here.
export { formatTotals };

/** Long words shortened the way commit scopes usually are. */
const SCOPE_ABBREVIATIONS: Record<string, string> = {
  environment: 'env',
  environments: 'env',
  configuration: 'config',
  authentication: 'auth',
  authorization: 'auth',
  database: 'db',
  repository: 'repo',
  websocket: 'ws',
  websockets: 'ws',
  utilities: 'utils',
  application: 'app',
};

const GENERIC_BASENAMES = new Set(['index', 'main', 'mod', 'lib', '__init__']);
const SOURCE_ROOTS = new Set(['src', 'lib', 'app', 'source', 'packages']);

/**
 * The commit scope for a fix, from the module it changed (documented in docs/commits.md):
 * the file's name without extension, its last word (split on - _ . and camelCase) abbreviated by
 * a small table (environment → env); an index/main file takes its folder's name; a fix spanning
 * folders takes their deepest common folder below the source root; otherwise no scope.
 */
export function scopeFor(files: string[]): string | undefined {
  if (files.length === 0) return undefined;
  if (files.length === 1) {
    const file = files[0];
    const base = path.posix.basename(file).replace(/\.[^.]+$/, '').replace(/\.(test|spec|d)$/, '');
    if (!GENERIC_BASENAMES.has(base)) return abbreviate(lastWord(base));
    const dir = path.posix.basename(path.posix.dirname(file));
    return dir && dir !== '.' && !SOURCE_ROOTS.has(dir) ? abbreviate(lastWord(dir)) : undefined;
  }
  const dirs = new Set(files.map((f) => path.posix.dirname(f)));
  const parts = [...dirs].map((d) => d.split('/').filter((p) => !SOURCE_ROOTS.has(p)));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) common.push(parts[0][i]);
  return common.length ? abbreviate(lastWord(common[common.length - 1])) : undefined;
}

function lastWord(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_.\s]+/)
    .filter(Boolean);
  return (words[words.length - 1] ?? name).toLowerCase();
}

function abbreviate(word: string): string {
  const clean = word.replace(/[^a-z0-9-]/g, '');
  return SCOPE_ABBREVIATIONS[clean] ?? clean;
}

export interface CommitMessageInput {
  intent: CommitIntent;
  files: string[];
  rootCause: string;
  fix: string;
  before: Totals;
  after: Totals;
  runId: string;
  iteration: number;
  provider: string;
  /** The problem and candidate the fix is for: `fixloop resume` reads a commit its journal lacks back from them. */
  problemId?: string;
  candidateId?: string;
}

export const COMMIT_TYPES = ['fix', 'feat', 'refactor', 'perf', 'test', 'docs', 'build', 'ci', 'chore', 'style', 'revert'] as const;
const HEADER_MAX = 100;

/** A commit intent that does not make a Conventional Commits header. */
export class CommitMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommitMessageError';
  }
}

/** Why a message is not a valid Conventional Commit (read by the maintained parser), or undefined when it is. */
export function commitMessageProblem(message: string): string | undefined {
  const commit = new CommitParser().parse(message);
  const header = commit.header ?? '';
  if (!commit.type) return `the header "${header}" is not "type(scope): subject"`;
  if (!(COMMIT_TYPES as readonly string[]).includes(commit.type)) return `"${commit.type}" is not a Conventional Commits type (${COMMIT_TYPES.join(', ')})`;
  if (commit.scope && !/^[a-z0-9][a-z0-9._-]*$/.test(commit.scope)) return `the scope "${commit.scope}" is not one lower-case word`;
  if (!commit.subject?.trim()) return 'the subject is empty';
  if (header.length > HEADER_MAX) return `the header is ${header.length} characters long; at most ${HEADER_MAX}`;
  return undefined;
}

/** `type(scope): subject` for an intent; the scope, when the intent has none, from the changed files. */
export function commitHeader(intent: CommitIntent, files: string[]): string {
  const scope = intent.scope ?? scopeFor(files);
  const subject = stripControl(intent.subject).replace(/\s+/g, ' ').replace(/\.$/, '').trim();
  return `${intent.type.trim().toLowerCase()}${scope ? `(${scope})` : ''}: ${subject}`;
}

/** `type(scope): subject`, a body (root cause, fix, verification) and the Fixloop trailers; validated. */
export function commitMessage(input: CommitMessageInput): string {
  const header = commitHeader(input.intent, input.files);
  const body = [
    `Root cause: ${input.rootCause}`,
    `Fix: ${input.fix}`,
    `Verification: ${formatTotals(input.before)} → ${formatTotals(input.after)}.`,
  ];
  if (input.intent.body) body.push('', input.intent.body.trim());
  const trailers = [...(input.intent.trailers ?? []), `Fixloop-Run: ${input.runId}`, `Fixloop-Iteration: ${input.iteration}`, `Fixloop-Provider: ${trailerValue(input.provider)}`];
  if (input.problemId) trailers.push(`Fixloop-Problem: ${trailerValue(input.problemId)}`);
  if (input.candidateId) trailers.push(`Fixloop-Candidate: ${trailerValue(input.candidateId)}`);
  // Root causes and subjects come from models and test output: no escape sequence reaches git log.
  const message = secretRedactor()(stripControl([header, '', ...body, '', ...trailers, ''].join('\n')));
  const problem = commitMessageProblem(message);
  if (problem) throw new CommitMessageError(`Not a Conventional Commits message: ${problem}`);
  return message;
}

/** One line, as a trailer's value must be (an SDK provider may name its candidates anyhow). */
function trailerValue(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
