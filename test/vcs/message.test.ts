import { describe, expect, it } from 'vitest';
import { commitMessage, commitMessageProblem, scopeFor } from '../../src/vcs/index.js';

describe('scopeFor', () => {
  it.each([
    [['src/shared/isolated-environment.ts'], 'env'],
    [['src/auth/session.ts'], 'session'],
    [['src/auth/index.ts'], 'auth'],
    [['src/index.ts'], undefined],
    [['src/ws/websocketEvents.ts'], 'events'],
    [['lib/config/configuration.js'], 'config'],
    [['src/flow/a.ts', 'src/flow/b.ts'], 'flow'],
    [['src/flow/messages/a.ts', 'src/flow/queue/b.ts'], 'flow'],
    [['src/a/x.ts', 'lib/b/y.ts'], undefined],
    [[], undefined],
  ])('%j → %s', (files, scope) => {
    expect(scopeFor(files)).toBe(scope);
  });
});

describe('commitMessage', () => {
  it('writes header, body with verification counts, and trailers', () => {
    const message = commitMessage({
      intent: { type: 'fix', subject: 'import missing readFileSync in getEnv().' },
      files: ['src/shared/isolated-environment.ts'],
      rootCause: 'ReferenceError: readFileSync is not defined (src/shared/isolated-environment.ts:12)',
      fix: 'Add import from "node:fs" (codefix, TS2304)',
      before: { tests: 20, passed: 20, failed: 0, skipped: 0, loadErrors: 2 },
      after: { tests: 26, passed: 26, failed: 0, skipped: 0, loadErrors: 0 },
      runId: '20261124-0301-ab12',
      iteration: 1,
      provider: 'codefix',
    });
    expect(message).toBe(
      [
        'fix(env): import missing readFileSync in getEnv()',
        '',
        'Root cause: ReferenceError: readFileSync is not defined (src/shared/isolated-environment.ts:12)',
        'Fix: Add import from "node:fs" (codefix, TS2304)',
        'Verification: 20 passed, 0 failed, 2 files failed to load → 26 passed, 0 failed.',
        '',
        'Fixloop-Run: 20261124-0301-ab12',
        'Fixloop-Iteration: 1',
        'Fixloop-Provider: codefix',
        '',
      ].join('\n'),
    );
  });

  it('names the problem and the candidate in trailers, each on one line, so resume can read a commit back', () => {
    const message = commitMessage({
      intent: { type: 'fix', subject: 'restore the order' },
      files: ['src/order.ts'],
      rootCause: 'r',
      fix: 'f',
      before: { tests: 2, passed: 1, failed: 1, skipped: 0, loadErrors: 0 },
      after: { tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 },
      runId: 'r1',
      iteration: 3,
      provider: 'my provider',
      problemId: '95506f0a7725',
      candidateId: 'mine\nsecond line',
    });
    expect(message.split('\n').slice(-6)).toEqual(['Fixloop-Run: r1', 'Fixloop-Iteration: 3', 'Fixloop-Provider: my provider', 'Fixloop-Problem: 95506f0a7725', 'Fixloop-Candidate: mine second line', '']);
  });

  it('keeps a scope the provider chose', () => {
    const message = commitMessage({
      intent: { type: 'fix', scope: 'env', subject: 'correct global declaration order in get_env() function' },
      files: ['shared/isolated_environment.py'],
      rootCause: 'r',
      fix: 'f',
      before: { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 1 },
      after: { tests: 3, passed: 3, failed: 0, skipped: 1, loadErrors: 0 },
      runId: 'r1',
      iteration: 2,
      provider: 'llm',
    });
    expect(message.split('\n')[0]).toBe('fix(env): correct global declaration order in get_env() function');
    expect(message.split('\n')[4]).toBe('Verification: 0 passed, 0 failed, 1 file failed to load → 3 passed, 0 failed, 1 skipped.');
  });
});

describe('commitMessageProblem (conventional-commits-parser)', () => {
  it.each([
    ['fix(env): import missing x\n\nbody\n\nFixloop-Run: 1', undefined],
    ['fix: correct the order', undefined],
    ['Fix stuff', 'the header "Fix stuff" is not "type(scope): subject"'],
    ['wip(env): try something', '"wip" is not a Conventional Commits type (fix, feat, refactor, perf, test, docs, build, ci, chore, style, revert)'],
    ['fix(Env Module): x', 'the scope "Env Module" is not one lower-case word'],
    ['fix(env): ', 'the subject is empty'],
    [`fix: ${'x'.repeat(100)}`, 'the header is 105 characters long; at most 100'],
  ])('%j → %s', (message, problem) => {
    expect(commitMessageProblem(message)).toBe(problem);
  });

  it('commitMessage refuses to build an invalid message', () => {
    const input = {
      intent: { type: 'wip', subject: 'x' },
      files: ['src/a.ts'],
      rootCause: 'r',
      fix: 'f',
      before: { tests: 1, passed: 0, failed: 1, skipped: 0, loadErrors: 0 },
      after: { tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 0 },
      runId: 'r',
      iteration: 1,
      provider: 'p',
    };
    expect(() => commitMessage(input)).toThrow('Not a Conventional Commits message: "wip" is not a Conventional Commits type');
  });
});
