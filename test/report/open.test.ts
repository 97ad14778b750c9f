// The open problems of a report, built from real captures read from their own folder (so the
// code around each location is the real code): the failure in full, expected and received, the
// source and test lines, what was tried, the logs and a concrete next step.
import { describe, expect, it } from 'vitest';
import type { Attempt, IterationRecord, LoadFailure, TestCase } from '../../src/model.js';
import { openProblems, openProblemsMarkdown } from '../../src/report/open.js';
import { withExcerpts, excerptAt, numbered } from '../../src/report/source.js';
import { calleeOf, importsOf } from '../../src/report/callee.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { settleResults } from '../../src/runners/settle.js';
import { groupProblems } from '../../src/triage/group.js';
import { FIXTURES, readCapture } from '../runners/runner-captures.js';
import { blockedRecord, suiteRun, testRun } from './records.js';

const ROOT = `${FIXTURES}jest/failing`;

function jestRecord(attempts: Attempt[] = []): IterationRecord {
  const ctx = { root: ROOT, runDir: ROOT };
  const results: { tests: TestCase[]; loadFailures: LoadFailure[] } = parseJestReport(JSON.parse(readCapture('jest', 'failing', 'report.json', ROOT)), 'unit', ctx);
  settleResults(results, ROOT, ctx);
  const run = testRun([{ ...suiteRun('unit', 'npx jest', results.tests, results.loadFailures), logFile: '/runs/r1/logs/unit-3.log' }]);
  const problems = groupProblems(run).map((p) => withExcerpts(p, ROOT));
  return { ...blockedRecord(), before: run, after: run, problems, attempts, commits: [] };
}

describe('open problems', () => {
  it('show the source line an error was raised at, the test line beside it, and say where to fix it', () => {
    const rec = jestRecord();
    const join = openProblems(rec).find((o) => o.problem.kind === 'reference')!;
    expect(join.problem.excerpts?.map((e) => `${e.file}:${e.line}`)).toEqual(['src/price.js:3', 'test/price.test.js:18']);
    expect(join.nextStep).toBe(
      'Fix `src/price.js:3`, where the error is raised; the test reaches it from `test/price.test.js:18`. No provider proposed a fix. Then re-run `npx jest` (suite unit) on `test/price.test.js`.',
    );
    const md = openProblemsMarkdown(rec);
    expect(md).toContain(
      [
        '- **Where it broke:** `src/price.js:3` · **test line:** `test/price.test.js:18`',
        '',
        '```js',
        '  1 | exports.total = (items) => items.reduce((sum, item) => sum + item.price, 0);',
        "  2 | exports.label = (name) => ({ name, upper: name });",
        '> 3 | exports.join = (parts) => parts.join(sep);',
        '  4 | ',
        '```',
      ].join('\n'),
    );
    expect(md).toContain('- **Logs:** `/runs/r1/logs/unit-3.log` (unit)');
  });

  it("show an assertion's whole failure with expected and received, and what was tried and why it was rejected", () => {
    const rec = jestRecord();
    const toBe = rec.problems.find((p) => p.title.startsWith('Error: expect(received).toBe'))!;
    const attempt: Attempt = {
      problemId: toBe.id, candidateId: 'c1', provider: 'llm', title: 'Multiply by quantity', outcome: 'rejected', reason: 'regressed: broke 1 test', diff: '',
      verdict: { kind: 'regressed', fixed: [], broke: ['unit::test/price.test.js::price > total > is zero for no items'], stillFailing: [], summary: '0 fixed, 1 broke' },
    };
    const md = openProblemsMarkdown({ ...rec, attempts: [attempt] });
    const section = md.slice(md.indexOf(`. ${toBe.title}`), md.indexOf('\n### ', md.indexOf(`. ${toBe.title}`)));
    expect(section).toContain(['**Failure:**', '', '```', 'Error: expect(received).toBe(expected) // Object.is equality', '', 'Expected: 6', 'Received: 2', '```'].join('\n'));
    expect(section).toContain('- **Expected:** `6`\n- **Received:** `2`');
    expect(section).toContain('> 6 |       expect(total([{ price: 2, quantity: 3 }])).toBe(6);');
    expect(section).toContain('  - `llm` Multiply by quantity: **rejected** (regressed: broke 1 test) — verdict `regressed`: 0 fixed, 1 broke');
    expect(section).toContain(
      '- **Next step:** The assertion at `test/price.test.js:6` fails (expected `6`, received `2`): it checks `total`, declared at `src/price.js:1`; correct it there, or the expectation if the behaviour changed on purpose. 1 candidate did not fix it (llm: regressed): see why under Tried before repeating them.',
    );
    expect(section).toContain('- **Code under test:** `total` at `src/price.js:1` (called by the failing assertion)');
    expect(section).toContain('> 1 | exports.total = (items) => items.reduce((sum, item) => sum + item.price, 0);');
  });

  it("finds the function an assertion's line calls through ES imports, require and Python imports", () => {
    expect(calleeOf(`${FIXTURES}vitest/assertions`, { file: 'test/price.test.ts', line: 16 })).toEqual({ name: 'label', file: 'src/price.ts', line: 5 });
    expect(calleeOf(`${FIXTURES}node-test/failing`, { file: 'test/price.test.js', line: 8 })).toEqual({ name: 'total', file: 'src/price.js', line: 1 });
    expect(calleeOf(`${FIXTURES}pytest/failing`, { file: 'tests/test_price.py', line: 8 })).toEqual({ name: 'total', file: 'src/price.py', line: 1 });
    // A line that calls nothing the test file imports from the project.
    expect(calleeOf(`${FIXTURES}pytest/failing`, { file: 'tests/test_price.py', line: 25 })).toBeUndefined();
    expect(importsOf("import a, { b as c, d } from './x';\nconst { e, f: g } = require('../y');\nfrom src.z import (h, i)")).toEqual(
      new Map([['a', './x'], ['c', './x'], ['d', './x'], ['e', '../y'], ['g', '../y'], ['h', 'src.z'], ['i', 'src.z']]),
    );
  });

  it('reads no file outside the checkout and numbers an excerpt at the start of a file', () => {
    expect(excerptAt(ROOT, { file: '../../package.json', line: 1 })).toBeUndefined();
    expect(excerptAt(ROOT, { file: 'src/price.js', line: 99 })).toBeUndefined();
    expect(numbered({ file: 'a.js', line: 1, startLine: 1, text: 'x\ny' })).toBe('> 1 | x\n  2 | y');
  });
});
