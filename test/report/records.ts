// Builders for IterationRecords shaped like what the loop records for a small TypeScript service.
import type { Attempt, Blocker, IterationRecord, LoadFailure, Problem, SuiteRun, TestCase, TestRun, TestStatus } from '../../src/model.js';

export function testCase(suite: string, file: string, fullName: string, status: TestStatus, message?: string): TestCase {
  return {
    id: `${suite}::${file}::${fullName}`,
    suite,
    file,
    fullName,
    status,
    durationMs: 3,
    ...(message ? { failure: { message, errorName: message.split(':')[0], location: { file, line: 12 } } } : {}),
  };
}

/** `count` passing tests named "<prefix> 1..count" in one file. */
export function passing(suite: string, file: string, prefix: string, count: number): TestCase[] {
  return Array.from({ length: count }, (_, i) => testCase(suite, file, `${prefix} ${i + 1}`, 'passed'));
}

export function suiteRun(
  suite: string,
  command: string,
  tests: TestCase[],
  loadFailures: LoadFailure[] = [],
  extra: { durationMs?: number; blocker?: Blocker; exitCode?: number | null } = {},
): SuiteRun {
  const count = (s: TestStatus[]) => tests.filter((t) => s.includes(t.status)).length;
  return {
    suite,
    command,
    exitCode: extra.exitCode ?? (count(['failed']) + loadFailures.length > 0 ? 1 : 0),
    durationMs: extra.durationMs ?? 2400,
    timedOut: false,
    tests,
    loadFailures,
    totals: { tests: tests.length, passed: count(['passed']), failed: count(['failed']), skipped: count(['skipped', 'todo']), loadErrors: loadFailures.length },
    ...(extra.blocker ? { blocker: extra.blocker } : {}),
  };
}

export function testRun(suites: SuiteRun[]): TestRun {
  const sum = (k: keyof SuiteRun['totals']) => suites.reduce((n, s) => n + s.totals[k], 0);
  return {
    startedAt: '2025-03-01T10:00:00.000Z',
    durationMs: suites.reduce((n, s) => n + s.durationMs, 0),
    suites,
    totals: { tests: sum('tests'), passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), loadErrors: sum('loadErrors') },
  };
}

const ENV_ERROR = 'ReferenceError: readFileSync is not defined';
const envLoadFailure = (file: string): LoadFailure => ({
  suite: 'unit',
  file,
  failure: { message: ENV_ERROR, errorName: 'ReferenceError', location: { file: 'src/shared/env.ts', line: 4, column: 15 } },
});

const baselineTests = [
  ...passing('unit', 'test/routes.test.ts', 'routes > responds', 8),
  ...passing('unit', 'test/server.test.ts', 'server > starts', 6),
  ...passing('unit', 'test/math.test.ts', 'math > adds', 6),
];
const configTests = passing('unit', 'test/config.test.ts', 'config > loads', 3);
const envTests = passing('unit', 'test/env.test.ts', 'getEnv > reads', 3);

export const envProblem: Problem = {
  id: 'reference:src/shared/env.ts:4:readFileSync is not defined',
  kind: 'reference',
  title: 'ReferenceError: readFileSync is not defined at src/shared/env.ts:4',
  message: ENV_ERROR,
  location: { file: 'src/shared/env.ts', line: 4, column: 15 },
  testIds: [],
  loadFailedFiles: ['test/config.test.ts', 'test/env.test.ts'],
  testFiles: ['test/config.test.ts', 'test/env.test.ts'],
  failures: [{ message: ENV_ERROR, errorName: 'ReferenceError' }],
};

export const envDiff = [
  '--- a/src/shared/env.ts',
  '+++ b/src/shared/env.ts',
  '@@ -1,3 +1,4 @@',
  "+import { readFileSync } from 'node:fs';",
  " import path from 'node:path';",
  ' ',
  ' export function getEnv(file = path.resolve(".env")): Record<string, string> {',
].join('\n');

const rejected: Attempt = {
  problemId: envProblem.id,
  candidateId: 'codefix-1',
  provider: 'codefix',
  title: "Add missing function declaration 'readFileSync'",
  outcome: 'rejected',
  reason: 'regressed: broke 1 test',
  verdict: {
    kind: 'regressed',
    fixed: configTests.map((t) => t.id),
    broke: ['unit::test/server.test.ts::server > starts 1'],
    stillFailing: ['test/env.test.ts'],
    summary: '3 fixed, 1 broke, 1 still failing',
  },
  diff: "--- a/src/shared/env.ts\n+++ b/src/shared/env.ts\n@@ -9,0 +10,3 @@\n+function readFileSync(file: string, arg1: string): string {\n+  throw new Error('Function not implemented.');\n+}",
};

const committed: Attempt = {
  problemId: envProblem.id,
  candidateId: 'codefix-2',
  provider: 'codefix',
  title: 'Add import from "node:fs"',
  outcome: 'committed',
  rootCause: 'getEnv() calls readFileSync, but src/shared/env.ts never imports it from node:fs, so loading the module throws.',
  // As verify records it: the files that load again, then the tests that pass now.
  verdict: {
    kind: 'fixed',
    fixed: ['unit::test/config.test.ts::<load>', 'unit::test/env.test.ts::<load>', ...[...configTests, ...envTests].map((t) => t.id)],
    broke: [],
    stillFailing: [],
    summary: 'fixed: 6 tests now pass, 2 files load again',
  },
  diff: envDiff,
};

/** The demo: 2 test files fail to load because of a missing import; one commit makes all 26 tests pass. */
export function demoRecord(): IterationRecord {
  return {
    runId: '20250301-100000-demo',
    iteration: 1,
    startedAt: '2025-03-01T10:00:00.000Z',
    endedAt: '2025-03-01T10:00:42.000Z',
    baseSha: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
    before: testRun([suiteRun('unit', 'npx vitest run', baselineTests, [envLoadFailure('test/config.test.ts'), envLoadFailure('test/env.test.ts')], { durationMs: 1900 })]),
    after: testRun([suiteRun('unit', 'npx vitest run', [...baselineTests, ...configTests, ...envTests])]),
    problems: [envProblem],
    attempts: [rejected, committed],
    commits: [
      {
        sha: 'a3f9c2e7b1d04e5f8a6b7c9d0e1f2a3b4c5d6e7f',
        message: 'fix(env): import missing readFileSync in getEnv()\n\nRoot cause: readFileSync was used without an import.\n\nFixloop-Run: 20250301-100000-demo',
        files: ['src/shared/env.ts'],
        problemId: envProblem.id,
        candidateId: 'codefix-2',
        provider: 'codefix',
        iteration: 1,
      },
    ],
  };
}

export const priceProblem: Problem = {
  id: 'assertion:src/price.ts:7:expected 10.99 to be 11',
  kind: 'assertion',
  title: 'AssertionError: expected 10.99 to be 11 at src/price.ts:7',
  message: 'AssertionError: expected 10.99 to be 11',
  location: { file: 'src/price.ts', line: 7 },
  testIds: ['unit::test/price.test.ts::price > rounds up', 'unit::test/price.test.ts::price > rounds totals'],
  loadFailedFiles: [],
  testFiles: ['test/price.test.ts'],
  failures: [{ message: 'AssertionError: expected 10.99 to be 11' }],
};

export const legacyProblem: Problem = {
  id: 'syntax:src/legacy.ts:3',
  kind: 'syntax',
  title: "SyntaxError: Unexpected token '}' at src/legacy.ts:3",
  message: "SyntaxError: Unexpected token '}'",
  location: { file: 'src/legacy.ts', line: 3 },
  testIds: [],
  loadFailedFiles: ['test/legacy.test.ts'],
  testFiles: ['test/legacy.test.ts'],
  failures: [{ message: "SyntaxError: Unexpected token '}'" }],
};

/** Second iteration of a harder run: e2e cannot start, failures remain, some tests are skipped. */
export function blockedRecord(): IterationRecord {
  const failing = [
    testCase('unit', 'test/price.test.ts', 'price > rounds up', 'failed', 'AssertionError: expected 10.99 to be 11'),
    testCase('unit', 'test/price.test.ts', 'price > rounds totals', 'failed', 'AssertionError: expected 21.98 to be 22'),
    testCase('unit', 'test/cart.test.ts', 'cart | checkout > applies coupon', 'failed', 'TypeError: coupon.apply is not a function'),
  ];
  const skipped = [
    testCase('unit', 'test/cart.test.ts', 'cart > gift wrap', 'skipped'),
    testCase('unit', 'test/cart.test.ts', 'cart > loyalty points', 'skipped'),
    testCase('unit', 'test/cart.test.ts', 'cart > currency', 'todo'),
  ];
  const legacyLoad: LoadFailure = { suite: 'unit', file: 'test/legacy.test.ts', failure: { message: "SyntaxError: Unexpected token '}'", location: { file: 'src/legacy.ts', line: 3 } } };
  const unit = suiteRun('unit', 'npx vitest run', [...passing('unit', 'test/math.test.ts', 'math > adds', 10), ...failing, ...skipped], [legacyLoad]);
  const blocker: Blocker = { reason: 'command-not-found', message: 'playwright: not found', outputTail: 'sh: 1: playwright: not found\n' };
  const e2e = suiteRun('e2e', 'npx playwright test', [], [], { durationMs: 120, blocker, exitCode: 127 });
  return {
    runId: '20250301-110000-shop',
    iteration: 2,
    startedAt: '2025-03-01T11:05:00.000Z',
    endedAt: '2025-03-01T11:06:10.000Z',
    baseSha: 'ffeeddccbbaa99887766554433221100ffeeddcc',
    before: testRun([unit, e2e]),
    after: testRun([unit, e2e]),
    problems: [priceProblem, legacyProblem],
    attempts: [
      {
        problemId: priceProblem.id,
        candidateId: 'llm-1',
        provider: 'llm',
        title: 'Round with Math.ceil',
        outcome: 'rejected',
        reason: 'no-effect',
        verdict: { kind: 'no-effect', fixed: [], broke: [], stillFailing: priceProblem.testIds, summary: '0 fixed, 0 broke, 2 still failing' },
        diff: '--- a/src/price.ts\n+++ b/src/price.ts\n@@ -7 +7 @@\n-  return Math.round(x * 100) / 100;\n+  return Math.ceil(x * 100) / 100;',
      },
    ],
    commits: [],
  };
}
