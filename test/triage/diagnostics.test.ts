import { describe, expect, it } from 'vitest';
import type { Failure, TestRun } from '../../src/model.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { settleResults } from '../../src/runners/settle.js';
import { countTotals } from '../../src/test-run.js';
import { failureKind, locateInMessage, tsDiagnostics } from '../../src/triage/diagnostics.js';
import { groupProblems } from '../../src/triage/group.js';
import { CTX, ROOT, readCapture } from '../runners/runner-captures.js';

/** The ts-jest capture read as JestAdapter reads it: parsed, then settled. */
function tsJestRun(): TestRun {
  const results = parseJestReport(JSON.parse(readCapture('jest', 'ts-jest', 'report.json')), 'unit', CTX);
  settleResults(results, ROOT, CTX);
  const totals = countTotals(results.tests, results.loadFailures);
  return { startedAt: '', durationMs: 1, totals, suites: [{ suite: 'unit', command: 'npx jest', exitCode: 1, durationMs: 1, timedOut: false, ...results, totals }] };
}

describe('TypeScript errors inside failure messages (real ts-jest 29 capture)', () => {
  it('locates each file that failed to run at the type error its message reports', () => {
    const run = tsJestRun();
    expect(run.suites[0].loadFailures.map((l) => [l.file, l.failure.message, l.failure.location])).toEqual([
      ['test/total.test.ts', "src/total.ts:8:10 - error TS2448: Block-scoped variable 'rounded' used before its declaration.", { file: 'src/total.ts', line: 8, column: 10 }],
      ['test/label.test.ts', "test/label.test.ts:4:9 - error TS2322: Type 'string' is not assignable to type 'number'.", { file: 'test/label.test.ts', line: 4, column: 9 }],
      ['test/checkout.test.ts', "src/total.ts:8:10 - error TS2448: Block-scoped variable 'rounded' used before its declaration.", { file: 'src/total.ts', line: 8, column: 10 }],
    ]);
  });

  it('makes one type problem of one type error that stops several files, at its line', () => {
    expect(groupProblems(tsJestRun()).map((p) => [p.kind, p.title, p.location, p.loadFailedFiles])).toEqual([
      ['type', "src/total.ts:8:10 - error TS2448: Block-scoped variable 'rounded' used before its declaration. (src/total.ts:8)", { file: 'src/total.ts', line: 8, column: 10 }, ['test/total.test.ts', 'test/checkout.test.ts']],
      ['type', "test/label.test.ts:4:9 - error TS2322: Type 'string' is not assignable to type 'number'. (test/label.test.ts:4)", { file: 'test/label.test.ts', line: 4, column: 9 }, ['test/label.test.ts']],
    ]);
  });

  it('reads tsc\'s plain form and tells syntax, unresolved imports and undeclared names from type errors', () => {
    const text = [
      "src/a.ts(3,7): error TS2304: Cannot find name 'join'.",
      "src/b.ts(1,21): error TS2307: Cannot find module './nope' or its corresponding type declarations.",
      "src/c.ts:2:1 - error TS1005: ';' expected.",
    ].join('\n');
    expect(tsDiagnostics(text)).toEqual([
      { file: 'src/a.ts', line: 3, column: 7, code: 2304, message: "Cannot find name 'join'." },
      { file: 'src/b.ts', line: 1, column: 21, code: 2307, message: "Cannot find module './nope' or its corresponding type declarations." },
      { file: 'src/c.ts', line: 2, column: 1, code: 1005, message: "';' expected." },
    ]);
    const kind = (message: string): string => failureKind({ message });
    expect(text.split('\n').map(kind)).toEqual(['reference', 'module-load', 'syntax']);
    // Without a diagnostic the error class decides, as before.
    expect(kind('TypeError: x is not a function')).toBe('type');
  });

  it('takes printed paths as relative to the directory the suite ran in', () => {
    const ctx = { root: '/repo', runDir: '/repo/packages/app' };
    const failure: Failure = { message: "src/total.ts:8:10 - error TS2448: Block-scoped variable 'rounded' used before its declaration." };
    expect(locateInMessage(failure, ctx, 'packages/app/test/total.test.ts')).toEqual({ file: 'packages/app/src/total.ts', line: 8, column: 10 });
  });
});

describe('Python tracebacks inside failure messages', () => {
  const traceback = (frames: string[]) =>
    ['Error: command failed: python3 tool.py', 'Traceback (most recent call last):', ...frames, 'ZeroDivisionError: division by zero'].join('\n');

  it('locates the deepest frame of the project, past installed packages, not the test file', () => {
    const failure: Failure = {
      message: 'Error: command failed: python3 tool.py',
      stack: traceback([
        `  File "${ROOT}/tests/test_tool.py", line 12, in test_ratio`,
        `  File "${ROOT}/src/tool/ratio.py", line 4, in ratio`,
        `  File "${ROOT}/src/tool/math.py", line 9, in divide`,
        `  File "${ROOT}/.venv/lib/python3.12/site-packages/numpy/core.py", line 88, in true_divide`,
      ]),
      location: { file: 'tests/test_tool.py', line: 12 },
    };
    expect(locateInMessage(failure, CTX, 'tests/test_tool.py')).toEqual({ file: 'src/tool/math.py', line: 9 });
  });

  it('keeps the test file when the traceback has no other frame in the project, and a located frame of the code under test', () => {
    const inTest: Failure = { message: 'x', stack: traceback(['  File "tests/test_tool.py", line 5, in test_x', '  File "/usr/lib/python3.12/json/__init__.py", line 3, in loads']) };
    expect(locateInMessage(inTest, CTX, 'tests/test_tool.py')).toEqual({ file: 'tests/test_tool.py', line: 5 });
    const known: Failure = { ...inTest, stack: traceback(['  File "src/tool/x.py", line 5, in f']), location: { file: 'src/other.ts', line: 3 } };
    expect(locateInMessage(known, CTX, 'tests/test_tool.py')).toBeUndefined();
  });
});
