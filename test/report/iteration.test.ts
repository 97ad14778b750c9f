import { describe, expect, it } from 'vitest';
import { iterationJson, renderIterationMarkdown } from '../../src/report/index.js';
import type { IterationRecord } from '../../src/model.js';
import { blockedRecord, demoRecord, envDiff, passing, suiteRun, testCase, testRun } from './records.js';

const SECTIONS = [
  'Executive summary', 'Test execution', 'Fixes', 'Attempts that did not land', 'Still failing', 'Open problems',
  'Coverage by category', 'Progress toward goal', 'Technical challenges', 'Next steps',
];

/** The body of one `## name` section. */
function section(md: string, name: string): string {
  const start = md.indexOf(`## ${name}\n`);
  expect(start).toBeGreaterThan(-1);
  const rest = md.slice(start + name.length + 4);
  const end = rest.search(/^## /m);
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

function withAfter(rec: IterationRecord, after: IterationRecord['after']): IterationRecord {
  return { ...rec, after, commits: [], attempts: [] };
}

const NOT_GREEN = /green|100%/i;

describe('renderIterationMarkdown: the demo (missing readFileSync import fixed by codefix)', () => {
  const md = renderIterationMarkdown(demoRecord());

  it('starts with the title and has the nine sections in order', () => {
    expect(md.split('\n')[0]).toBe('# Iteration 1 — 20250301-100000-demo');
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(SECTIONS);
  });

  it('summarises in three sentences with the recorded numbers', () => {
    expect(section(md, 'Executive summary')).toBe(
      'After iteration 1, the suites report 26 tests: 26 passed, 0 failed, 0 skipped, 0 files failed to load. ' +
        'This iteration committed 1 fix and 6 tests went from failing or not run to passing ' +
        '(at its start: 20 passed, 0 failed, 0 skipped, 2 files failed to load). ' +
        'Nothing is failing and no suite is blocked: all 26 executed tests passed (100%).',
    );
  });

  it('shows one row per suite with the before column, and the totals', () => {
    const rows = section(md, 'Test execution').split('\n');
    expect(rows).toEqual([
      '| Suite | Command | Status | Passed | Failed | Skipped | Load errors | Duration | Before |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| unit | `npx vitest run` | passed | 26 | 0 | 0 | 0 | 2.4 s | 20 passed, 0 failed, 0 skipped, 2 files failed to load |',
      '| **Total** |  |  | 26 | 0 | 0 | 0 | 2.4 s | 20 passed, 0 failed, 0 skipped, 2 files failed to load |',
    ]);
  });

  it('explains the committed fix: problem, root cause, files, diff, impact, provider and commit', () => {
    expect(section(md, 'Fixes')).toBe(
      [
        '### 1. fix(env): import missing readFileSync in getEnv()',
        '',
        '- **Problem:** ReferenceError: readFileSync is not defined at src/shared/env.ts:4 (kind `reference`)',
        '- **Tests affected:** 0 failing tests; 2 test files failed to load: `test/config.test.ts`, `test/env.test.ts`',
        '- **Error:** `ReferenceError: readFileSync is not defined`',
        '- **Root cause:** getEnv() calls readFileSync, but src/shared/env.ts never imports it from node:fs, so loading the module throws.',
        '- **What changed:** `src/shared/env.ts` — Add import from "node:fs"',
        '- **Impact:** 6 tests now passing, 2 test files loading again, 0 broke (verdict `fixed`)',
        '- **Provider:** `codefix`',
        '- **Commit:** `a3f9c2e` fix(env): import missing readFileSync in getEnv()',
        '',
        '```diff',
        envDiff,
        '```',
      ].join('\n'),
    );
  });

  it('lists the rejected attempt with its outcome and verdict', () => {
    expect(section(md, 'Attempts that did not land')).toBe(
      [
        '### ReferenceError: readFileSync is not defined at src/shared/env.ts:4',
        '',
        "- `codefix` Add missing function declaration 'readFileSync' — **rejected**: regressed: broke 1 test",
        '  - verdict `regressed`: 3 fixed, 1 broke, 1 still failing (now passing 3, broke 1: `unit::test/server.test.ts::server > starts 1`, still failing 1)',
      ].join('\n'),
    );
  });

  it('has nothing still failing, no challenges, and calls the suites green', () => {
    expect(section(md, 'Still failing')).toBe('Nothing: every executed test passed and every test file loaded.');
    expect(section(md, 'Technical challenges')).toBe('None: every suite ran and no test was flaky.');
    expect(section(md, 'Next steps')).toBe('All suites are green.');
  });
});

describe('renderIterationMarkdown: categories and goal', () => {
  it('says when no categories or goal are configured', () => {
    const md = renderIterationMarkdown(demoRecord());
    expect(section(md, 'Coverage by category')).toBe('No categories are configured (policy `categories`: name → globs of test files); the per-suite totals are under Test execution.');
    expect(section(md, 'Progress toward goal')).toBe('No goal is set (policy `goal.expectedTests`).');
  });

  it('counts tests, load errors and pass rate per category, first matching glob wins, unmatched files in their own row', () => {
    const rec: IterationRecord = { ...blockedRecord(), categories: { pricing: ['test/price.test.ts'], shop: ['test/cart.test.ts', 'test/price.test.ts'], legacy: ['test/legacy.test.ts'], empty: ['test/none/**'] } };
    expect(section(renderIterationMarkdown(rec), 'Coverage by category').split('\n')).toEqual([
      '| Category | Tests | Passed | Failed | Skipped | Files failed to load | Pass rate |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| pricing | 2 | 0 | 2 | 0 | 0 | 0% |',
      '| shop | 4 | 0 | 1 | 3 | 0 | 0% |',
      '| legacy | 0 | 0 | 0 | 0 | 1 | not run |',
      '| empty | 0 | 0 | 0 | 0 | 0 | not run |',
      '| (no category) | 10 | 10 | 0 | 0 | 0 | 100% |',
    ]);
  });

  it('shows executed, passed and not-yet-located tests against the goal, with what discovery counted', () => {
    const rec: IterationRecord = {
      ...blockedRecord(),
      expectedTests: 123,
      discovery: [{ suite: 'unit', count: 17 }, { suite: 'e2e', reason: 'jest lists test files, not tests (--listTests)' }],
    };
    expect(section(renderIterationMarkdown(rec), 'Progress toward goal').split('\n')).toEqual([
      '- **Executed:** 13 of 123 expected tests (10.5%).',
      '- **Passed:** 10 of 123 expected tests (8.1%); pass rate of the executed ones 76.9%.',
      '- **Not yet located:** 110 expected tests did not execute (1 test file failed to load).',
      '',
      '| Suite | Tests it would run (counted without running) |',
      '| --- | --- |',
      '| unit | 17 |',
      '| e2e | could not count: jest lists test files, not tests (--listTests) |',
    ]);
    expect((iterationJson(rec) as { goal: unknown }).goal).toEqual({ expected: 123, executed: 13, passed: 10, notLocated: 110 });
  });
});

describe('renderIterationMarkdown: flaky tests', () => {
  it('lists each flaky test with its outcomes under Technical challenges, and the JSON carries them', () => {
    const rec: IterationRecord = { ...blockedRecord(), flaky: [{ id: 'unit::test/net.test.ts::retries | twice', history: ['failed', 'passed', 'failed'] }] };
    const md = renderIterationMarkdown(rec);
    expect(section(md, 'Technical challenges').split('\n').slice(0, 5)).toEqual([
      '### Flaky tests (not repaired)',
      '',
      '| Test | Outcomes (first run, then re-runs) |',
      '| --- | --- |',
      '| `unit::test/net.test.ts::retries \\| twice` | failed → passed → failed |',
    ]);
    expect((iterationJson({ ...rec, flaky: [{ id: 'x', history: ['failed', 'passed'] }] }) as { flaky: unknown }).flaky).toEqual([{ id: 'x', history: ['failed', 'passed'] }]);
  });
});

describe('renderIterationMarkdown: a blocked suite, remaining failures and skipped tests', () => {
  const md = renderIterationMarkdown(blockedRecord());

  it('never says green or 100%', () => {
    expect(md).not.toMatch(NOT_GREEN);
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(SECTIONS);
  });

  it('summarises what still fails and which suite is blocked', () => {
    expect(section(md, 'Executive summary')).toBe(
      'After iteration 2, the suites report 16 tests: 10 passed, 3 failed, 3 skipped, 1 file failed to load. ' +
        'This iteration committed 0 fixes and 0 tests went from failing or not run to passing ' +
        '(at its start: 10 passed, 3 failed, 3 skipped, 1 file failed to load). ' +
        'Still failing: 3 tests and 1 test file that failed to load; blocked suites: 1 (e2e: command-not-found).',
    );
  });

  it('shows the blocked suite as not run, and lists the skipped tests as skipped', () => {
    const body = section(md, 'Test execution');
    const rows = body.split('\n');
    expect(rows[2]).toBe('| unit | `npx vitest run` | failing | 10 | 3 | 3 | 1 | 2.4 s | 10 passed, 3 failed, 3 skipped, 1 file failed to load |');
    expect(rows[3]).toBe('| e2e | `npx playwright test` | blocked: command-not-found | not run | not run | not run | not run | 120 ms | blocked: command-not-found |');
    expect(body).toContain(
      [
        'Skipped, not executed (3):',
        '',
        '- `unit::test/cart.test.ts::cart > gift wrap` (skipped)',
        '- `unit::test/cart.test.ts::cart > loyalty points` (skipped)',
        '- `unit::test/cart.test.ts::cart > currency` (todo)',
      ].join('\n'),
    );
  });

  it('lists every failing test and load-failed file with its message, escaping pipes', () => {
    expect(section(md, 'Still failing')).toBe(
      [
        '| Suite | Test | Where | Message |',
        '| --- | --- | --- | --- |',
        "| unit | `test/legacy.test.ts` (failed to load) | src/legacy.ts:3 | SyntaxError: Unexpected token '}' |",
        '| unit | `test/price.test.ts > price > rounds up` | test/price.test.ts:12 | AssertionError: expected 10.99 to be 11 |',
        '| unit | `test/price.test.ts > price > rounds totals` | test/price.test.ts:12 | AssertionError: expected 21.98 to be 22 |',
        '| unit | `test/cart.test.ts > cart \\| checkout > applies coupon` | test/cart.test.ts:12 | TypeError: coupon.apply is not a function |',
        '',
        'Not run: suite `e2e` is blocked (command-not-found); its tests are not counted.',
      ].join('\n'),
    );
  });

  it('gives the blocker its evidence: command, reason and output tail', () => {
    expect(section(md, 'Technical challenges')).toBe(
      [
        '### e2e: command-not-found',
        '',
        '- **Command:** `npx playwright test`',
        '- **Reason:** command-not-found — playwright: not found',
        '- **Exit code:** 127',
        '',
        '```',
        'sh: 1: playwright: not found',
        '```',
      ].join('\n'),
    );
  });

  it('derives concrete next steps from what is blocked and still failing', () => {
    expect(section(md, 'Next steps').split('\n')).toEqual([
      '- Unblock suite `e2e` (command-not-found: playwright: not found): install the missing tool or correct the command `npx playwright test` in loop.policy.json.',
      '- Problem "AssertionError: expected 10.99 to be 11 at src/price.ts:7" (`assertion`) still fails for `unit::test/price.test.ts::price > rounds up`, `unit::test/price.test.ts::price > rounds totals`: Fix `src/price.ts:7`, where the error is raised. 1 candidate did not fix it (llm: no-effect): see why under Tried before repeating them. Then re-run `npx vitest run` (suite unit) on `test/price.test.ts`.',
      '- Problem "SyntaxError: Unexpected token \'}\' at src/legacy.ts:3" (`syntax`) still fails for `test/legacy.test.ts`: Make `test/legacy.test.ts` load again: the error is raised at `src/legacy.ts:3` (SyntaxError: Unexpected token \'}\'). No provider proposed a fix. Then re-run `npx vitest run` (suite unit) on `test/legacy.test.ts`.',
      '- Triage `unit::test/cart.test.ts::cart | checkout > applies coupon`: TypeError: coupon.apply is not a function — not explained by any problem of this iteration.',
      '- 3 tests skipped and never executed: review them (listed under Test execution).',
    ]);
  });

  it('says so when nothing was attempted or committed', () => {
    const md2 = renderIterationMarkdown({ ...blockedRecord(), attempts: [] });
    expect(section(md, 'Fixes')).toBe('No fix was committed in this iteration.');
    expect(section(md2, 'Attempts that did not land')).toBe('No fix was attempted.');
  });
});

describe('renderIterationMarkdown: honesty rules', () => {
  it('does not call a run green when every test was skipped', () => {
    const skipped = [testCase('unit', 'test/a.test.ts', 'a', 'skipped'), testCase('unit', 'test/a.test.ts', 'b', 'skipped')];
    const md = renderIterationMarkdown(withAfter(demoRecord(), testRun([suiteRun('unit', 'npx vitest run', skipped)])));
    expect(md).not.toMatch(NOT_GREEN);
    expect(section(md, 'Executive summary')).toContain(
      'Still failing: 0 tests and 0 test files that failed to load; blocked suites: none; no test was executed.',
    );
    expect(section(md, 'Test execution').split('\n')[2]).toBe(
      '| unit | `npx vitest run` | no tests executed | 0 | 0 | 2 | 0 | 2.4 s | 20 passed, 0 failed, 0 skipped, 2 files failed to load |',
    );
    expect(section(md, 'Next steps')).toContain("- No test was executed: check that the suites' commands select any tests.");
  });

  it('does not call a run green when a file failed to load, even with no failing test', () => {
    const rec = demoRecord();
    const md = renderIterationMarkdown(withAfter(rec, rec.before));
    expect(md).not.toMatch(NOT_GREEN);
    expect(section(md, 'Still failing')).toContain('| unit | `test/config.test.ts` (failed to load) | src/shared/env.ts:4 | ReferenceError: readFileSync is not defined |');
  });

  it('calls a run with skipped tests green only alongside the skipped count', () => {
    const tests = [...passing('unit', 'test/a.test.ts', 'a', 4), testCase('unit', 'test/a.test.ts', 'later', 'skipped')];
    const md = renderIterationMarkdown(withAfter(demoRecord(), testRun([suiteRun('unit', 'npx vitest run', tests)])));
    expect(section(md, 'Executive summary')).toMatch(/all 4 executed tests passed \(100%\), 1 skipped\.$/);
    expect(section(md, 'Test execution')).toContain('| unit | `npx vitest run` | passed (1 skipped) | 4 | 0 | 1 | 0 |');
    expect(section(md, 'Next steps')).toBe(
      'All suites are green.\n\n- 1 test skipped and never executed: review them (listed under Test execution).',
    );
  });

  it('does not call a run green when fewer tests reported than expected', () => {
    const md = renderIterationMarkdown(demoRecord(), { expectedTests: 30 });
    expect(md).not.toMatch(NOT_GREEN);
    expect(section(md, 'Executive summary')).toMatch(/blocked suites: none; 4 of 30 expected tests did not report\.$/);
    expect(section(md, 'Test execution')).toContain('**Warning:** 30 tests were expected but 26 reported: 4 did not run.');
    expect(section(md, 'Next steps')).toBe('- Find the 4 expected tests that did not report (expected 30, reported 26).');
  });
});

describe('renderIterationMarkdown: limits', () => {
  it('lists at most 200 still-failing rows and says how many were omitted', () => {
    const failing = Array.from({ length: 230 }, (_, i) => testCase('unit', 'test/many.test.ts', `case ${i}`, 'failed', `Error: boom ${i}`));
    const md = renderIterationMarkdown(withAfter(demoRecord(), testRun([suiteRun('unit', 'npx vitest run', failing)])));
    const body = section(md, 'Still failing');
    expect(body.split('\n').filter((l) => l.startsWith('| unit |'))).toHaveLength(200);
    expect(body).toContain('`test/many.test.ts > case 199`');
    expect(body).not.toContain('`test/many.test.ts > case 200`');
    expect(body).toContain('30 more omitted; every one is listed in iteration-1.json.');
  });

  it('cuts a long diff to 40 lines and says how many lines are left out', () => {
    const rec = demoRecord();
    const diff = ['--- a/src/big.ts', '+++ b/src/big.ts', ...Array.from({ length: 58 }, (_, i) => `+line ${i}`)].join('\n');
    rec.attempts = rec.attempts.map((a) => (a.outcome === 'committed' ? { ...a, diff } : a));
    const fixes = section(renderIterationMarkdown(rec), 'Fixes');
    expect(fixes).toContain('+line 37\n```\n\n… 20 more diff lines in iteration-1.json');
    expect(fixes).not.toContain('+line 38');
  });

  it('fences an output tail that itself contains a fence', () => {
    const rec = blockedRecord();
    rec.after.suites[1].blocker!.outputTail = 'before\n```\nafter';
    expect(section(renderIterationMarkdown(rec), 'Technical challenges')).toContain('````\nbefore\n```\nafter\n````');
  });
});

describe('tests that share a name in the reports', () => {
  it('lists each one apart, by its occurrence, in the Markdown and the JSON', () => {
    const same = (status: 'passed' | 'failed', occurrence?: number) => {
      const t = testCase('unit', 'test/math.test.ts', 'adds 1', status, status === 'failed' ? 'AssertionError: expected 3 not to be 3' : undefined);
      return occurrence ? { ...t, id: `${t.id} [${occurrence}]`, occurrence } : t;
    };
    const run = testRun([suiteRun('unit', 'npx vitest run', [same('passed'), same('failed', 2), same('failed', 3)])]);
    const rec = withAfter(demoRecord(), run);
    expect(section(renderIterationMarkdown(rec), 'Still failing')).toBe(
      [
        '| Suite | Test | Where | Message |',
        '| --- | --- | --- | --- |',
        '| unit | `test/math.test.ts > adds 1 [2]` | test/math.test.ts:12 | AssertionError: expected 3 not to be 3 |',
        '| unit | `test/math.test.ts > adds 1 [3]` | test/math.test.ts:12 | AssertionError: expected 3 not to be 3 |',
      ].join('\n'),
    );
    expect(iterationJson(rec).stillFailing.tests.map((t) => t.id)).toEqual(['unit::test/math.test.ts::adds 1 [2]', 'unit::test/math.test.ts::adds 1 [3]']);
  });

  it('says no test went from failing to passing when nothing was fixed, whichever namesake passes', () => {
    const same = (status: 'passed' | 'failed', occurrence?: number) => {
      const t = testCase('unit', 'test/math.test.ts', 'adds 1', status, status === 'failed' ? 'AssertionError: expected 3 not to be 3' : undefined);
      return occurrence ? { ...t, id: `${t.id} [${occurrence}]`, occurrence } : t;
    };
    for (const tests of [[same('passed'), same('failed', 2)], [same('failed'), same('passed', 2)]]) {
      const run = testRun([suiteRun('unit', 'npx vitest run', tests)]);
      const rec = { ...withAfter(demoRecord(), run), before: run };
      expect(renderIterationMarkdown(rec)).toContain('This iteration committed 0 fixes and 0 tests went from failing or not run to passing');
      expect(iterationJson(rec).newlyPassing).toEqual([]);
    }
  });
});
