import path from 'node:path';
import type { CommitIntent, Totals } from '../model.js';

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

export function formatTotals(t: Totals): string {
  const parts = [`${t.passed} passed`, `${t.failed} failed`];
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  if (t.loadErrors) parts.push(`${t.loadErrors} file${t.loadErrors === 1 ? '' : 's'} failed to load`);
  return parts.join(', ');
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
}

/** `type(scope): subject`, a body (root cause, fix, verification) and the Fixloop trailers. */
export function commitMessage(input: CommitMessageInput): string {
  const scope = input.intent.scope ?? scopeFor(input.files);
  const subject = input.intent.subject.replace(/\s+/g, ' ').replace(/\.$/, '').trim();
  const header = `${input.intent.type}${scope ? `(${scope})` : ''}: ${subject}`;
  const body = [
    `Root cause: ${input.rootCause}`,
    `Fix: ${input.fix}`,
    `Verification: ${formatTotals(input.before)} → ${formatTotals(input.after)}.`,
  ];
  if (input.intent.body) body.push('', input.intent.body.trim());
  const trailers = [`Fixloop-Run: ${input.runId}`, `Fixloop-Iteration: ${input.iteration}`, `Fixloop-Provider: ${input.provider}`];
  return [header, '', ...body, '', ...trailers, ''].join('\n');
}
