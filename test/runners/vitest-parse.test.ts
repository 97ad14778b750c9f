import { describe, expect, it } from 'vitest';
import { parseVitestReport } from '../../src/runners/vitest/parse.js';
import { capture, parseCapture, ROOT } from './captures.js';

const brief = (name: string, withOutput = true) => {
  const { tests, loadFailures } = parseCapture(name, withOutput);
  return {
    tests: tests.map((t) => ({
      id: t.id,
      status: t.status,
      line: t.location?.line,
      message: t.failure?.message,
      errorName: t.failure?.errorName,
      at: t.failure?.location && `${t.failure.location.file}:${t.failure.location.line}:${t.failure.location.column}`,
    })),
    loadFailures: loadFailures.map((l) => ({
      file: l.file,
      message: l.failure.message,
      errorName: l.failure.errorName,
      at: l.failure.location && `${l.failure.location.file}:${l.failure.location.line}:${l.failure.location.column}`,
    })),
  };
};

describe('parseVitestReport on real captures', () => {
  it('reads passing tests with repository-relative files, locations and durations', () => {
    const { tests, loadFailures } = parseCapture('passing');
    expect(loadFailures).toEqual([]);
    expect(tests).toEqual([
      {
        id: 'unit::test/math.test.ts::add > adds two numbers',
        suite: 'unit',
        file: 'test/math.test.ts',
        fullName: 'add > adds two numbers',
        status: 'passed',
        durationMs: 2,
        location: { file: 'test/math.test.ts', line: 5, column: 3 },
      },
      {
        id: 'unit::test/math.test.ts::add > adds negatives',
        suite: 'unit',
        file: 'test/math.test.ts',
        fullName: 'add > adds negatives',
        status: 'passed',
        durationMs: 0,
        location: { file: 'test/math.test.ts', line: 9, column: 3 },
      },
    ]);
  });

  it('joins describe blocks into ids, maps skipped and todo, and locates assertions in the test file', () => {
    expect(brief('assertions').tests).toEqual([
      {
        id: 'unit::test/price.test.ts::price > total > sums price times quantity',
        status: 'failed',
        line: 6,
        message: 'AssertionError: expected 2 to be 6 // Object.is equality',
        errorName: 'AssertionError',
        at: 'test/price.test.ts:7:45',
      },
      { id: 'unit::test/price.test.ts::price > total > is zero for no items', status: 'passed', line: 10 },
      {
        id: 'unit::test/price.test.ts::price > labels with an upper-case copy',
        status: 'failed',
        line: 15,
        message: "AssertionError: expected { name: 'ab', upper: 'ab' } to deeply equal { name: 'ab', upper: 'AB' }",
        errorName: 'AssertionError',
        at: 'test/price.test.ts:16:25',
      },
      { id: 'unit::test/price.test.ts::price > handles discounts', status: 'skipped', line: 19 },
      { id: 'unit::test/price.test.ts::price > handles taxes', status: 'todo', line: 23 },
    ]);
  });

  it('locates a runtime error at the source frame rather than the test frame', () => {
    const { tests } = parseCapture('reference');
    expect(tests.map((t) => [t.id, t.failure?.message, t.failure?.location])).toEqual([
      ['unit::test/b.test.ts::joins with commas', 'ReferenceError: join is not defined', { file: 'src/b.ts', line: 1, column: 50 }],
      ['unit::test/b.test.ts::joins one item', 'ReferenceError: join is not defined', { file: 'src/b.ts', line: 1, column: 50 }],
      ['unit::test/c.test.ts::joins nothing', 'ReferenceError: join is not defined', { file: 'src/b.ts', line: 1, column: 50 }],
    ]);
    // The stack is kept, with the root taken out so it reads the same in every checkout.
    expect(tests[0].failure?.stack?.split('\n').slice(0, 3)).toEqual([
      'ReferenceError: join is not defined',
      '    at joinAll (src/b.ts:1:50)',
      '    at test/b.test.ts:5:10',
    ]);
  });

  it('turns files that fail on a missing export into load failures located where the call is', () => {
    expect(brief('missing-export')).toEqual({
      tests: [
        {
          id: 'unit::test/builtin.test.ts::joins paths',
          status: 'failed',
          line: 4,
          message: 'TypeError: joinPaths is not a function',
          errorName: 'TypeError',
          at: 'test/builtin.test.ts:5:10',
        },
        {
          id: 'unit::test/js.test.ts::uses missing',
          status: 'failed',
          line: 4,
          message: 'AssertionError: expected undefined to be 1 // Object.is equality',
          errorName: 'AssertionError',
          at: 'test/js.test.ts:5:19',
        },
      ],
      loadFailures: [
        { file: 'test/direct.test.ts', message: 'TypeError: nope is not a function', errorName: 'TypeError', at: 'test/direct.test.ts:4:16' },
        { file: 'test/indirect.test.ts', message: 'TypeError: bar is not a function', errorName: 'TypeError', at: 'src/uses.ts:3:22' },
      ],
    });
  });

  it('reads missing modules and packages as load failures at the import', () => {
    expect(brief('missing-module').loadFailures).toEqual([
      {
        file: 'test/app.test.ts',
        message: "Error: Cannot find module './helpers' imported from src/app.ts",
        errorName: 'Error',
        at: 'src/app.ts:1:1',
      },
      {
        file: 'test/nopkg.test.ts',
        message: "Error: Cannot find package 'not-installed-pkg' imported from test/nopkg.test.ts",
        errorName: 'Error',
        at: 'test/nopkg.test.ts:2:1',
      },
    ]);
  });

  it('locates TypeScript syntax errors from the diagnostic box, in a source or a test file', () => {
    expect(brief('syntax-ts')).toEqual({
      tests: [],
      loadFailures: [
        {
          file: 'test/broken.test.ts',
          message: 'Error: Transform failed with 1 error: [PARSE_ERROR] Expected `,` or `)` but found `;`',
          errorName: 'Error',
          at: 'test/broken.test.ts:4:19',
        },
        {
          file: 'test/x.test.ts',
          message: 'Error: Transform failed with 1 error: [PARSE_ERROR] Unexpected token',
          errorName: 'Error',
          at: 'src/x.ts:3:18',
        },
      ],
    });
  });

  it('locates JavaScript syntax errors from the "File:" line of vite', () => {
    expect(brief('syntax-js').loadFailures).toEqual([
      {
        file: 'test/y.test.ts',
        message:
          'Error: Failed to parse source for import analysis because the content contains invalid JS syntax. If you are using JSX, make sure to name the file with the .jsx or .tsx extension.',
        errorName: 'Error',
        at: 'src/y.js:3:1',
      },
    ]);
  });

  it('reads module-level ReferenceErrors raised while importing', () => {
    expect(brief('import-time').loadFailures).toEqual([
      {
        file: 'test/config.test.ts',
        message: "ReferenceError: Cannot access 'base' before initialization",
        errorName: 'ReferenceError',
        at: 'src/config.ts:1:21',
      },
      { file: 'test/env.test.ts', message: 'ReferenceError: resolveMode is not defined', errorName: 'ReferenceError', at: 'src/env.ts:1:21' },
    ]);
  });

  it('takes a timeout message from the text, since the JSON only holds a placeholder stack', () => {
    const { tests } = parseCapture('timeout');
    expect(tests[1]).toMatchObject({ id: 'unit::test/slow.test.ts::waits forever', status: 'failed', durationMs: 303 });
    expect(tests[1].failure).toMatchObject({
      message: 'Error: Test timed out in 300ms.',
      errorName: 'Error',
      location: { file: 'test/slow.test.ts', line: 7, column: 1 },
    });
    expect(tests[1].failure?.stack?.split('\n')[0]).toBe('Error: Test timed out in 300ms.');
  });
});

describe('parseVitestReport without the default output', () => {
  it('still finds load failures, with the JSON message stripped of ANSI and located from the diagnostic box', () => {
    expect(brief('syntax-ts', false).loadFailures).toEqual([
      {
        file: 'test/broken.test.ts',
        message: 'Transform failed with 1 error: [PARSE_ERROR] Expected `,` or `)` but found `;`',
        errorName: undefined,
        at: 'test/broken.test.ts:4:19',
      },
      { file: 'test/x.test.ts', message: 'Transform failed with 1 error: [PARSE_ERROR] Unexpected token', errorName: undefined, at: 'src/x.ts:3:18' },
    ]);
  });

  it('leaves a bare load-failure message unlocated rather than guessing', () => {
    expect(brief('import-time', false).loadFailures).toEqual([
      { file: 'test/config.test.ts', message: "Cannot access 'base' before initialization", errorName: undefined, at: undefined },
      { file: 'test/env.test.ts', message: 'resolveMode is not defined', errorName: undefined, at: undefined },
    ]);
  });
});

describe('parseVitestReport paths and validation', () => {
  it('keeps paths relative to the repository root when vitest ran in a sub-directory', () => {
    const { json, output } = capture('missing-module', `${ROOT}/packages/app`);
    const { tests, loadFailures } = parseVitestReport(json, { suite: 'app', cwd: ROOT, runDir: `${ROOT}/packages/app`, defaultOutput: output });
    expect(tests.map((t) => t.id)).toEqual(['app::packages/app/test/dep.test.ts::shouts']);
    expect(loadFailures.map((l) => [l.file, l.failure.location])).toEqual([
      ['packages/app/test/app.test.ts', { file: 'packages/app/src/app.ts', line: 1, column: 1 }],
      ['packages/app/test/nopkg.test.ts', { file: 'packages/app/test/nopkg.test.ts', line: 2, column: 1 }],
    ]);
    expect(loadFailures[0].failure.message).toBe("Error: Cannot find module './helpers' imported from packages/app/src/app.ts");
  });

  it('reports a hook failure as a failure of the file, with the error the text printed', () => {
    const json = {
      testResults: [
        {
          name: `${ROOT}/test/hook.test.ts`,
          status: 'failed',
          message: '',
          assertionResults: [{ ancestorTitles: ['db'], title: 'queries', status: 'skipped', failureMessages: [], location: { line: 7, column: 3 } }],
        },
      ],
    };
    const output = [
      '⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯',
      '',
      ' FAIL  test/hook.test.ts:3:1 > db',
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      ' ❯ test/hook.test.ts:5:11',
      '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
    ].join('\n');
    const { tests, loadFailures } = parseVitestReport(json, { suite: 'unit', cwd: ROOT, defaultOutput: output });
    expect(tests.map((t) => t.status)).toEqual(['skipped']);
    expect(loadFailures).toEqual([
      {
        suite: 'unit',
        file: 'test/hook.test.ts',
        failure: {
          message: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
          errorName: 'Error',
          stack: 'Error: connect ECONNREFUSED 127.0.0.1:5432\n ❯ test/hook.test.ts:5:11',
          location: { file: 'test/hook.test.ts', line: 5, column: 11 },
        },
        // Its tests were collected and went unrun: a hook before them threw, the file loaded.
        hook: 'beforeAll',
      },
    ]);
  });

  it('reads process.exit in a test as that test failing: vitest intercepts it and the file goes on', () => {
    expect(brief('crash')).toEqual({
      tests: [
        { id: 'unit::test/fine.test.ts::adds two numbers', status: 'passed', line: 4 },
        { id: 'unit::test/quits.test.ts::runs before', status: 'passed', line: 3 },
        {
          id: 'unit::test/quits.test.ts::exits the process',
          status: 'failed',
          line: 5,
          message: 'Error: process.exit unexpectedly called with "1"',
          errorName: 'Error',
          at: 'test/quits.test.ts:6:11',
        },
        { id: 'unit::test/quits.test.ts::runs after', status: 'passed', line: 9 },
        {
          id: 'unit::test/wrong.test.ts::adds negatives',
          status: 'failed',
          line: 4,
          message: 'AssertionError: expected -3 to be -4 // Object.is equality',
          errorName: 'AssertionError',
          at: 'test/wrong.test.ts:5:23',
        },
      ],
      loadFailures: [],
    });
  });

  it('reads a file whose worker was killed as a file that did not finish, not as skipped tests', () => {
    // vitest leaves the file "passed" with its three tests "pending" (no result), in no count of its own.
    const quits = (capture('crash-kill').json as { testResults: { name: string; status: string; assertionResults: { status: string }[] }[] }).testResults[1];
    expect([quits.name, quits.status, quits.assertionResults.map((a) => a.status)]).toEqual([`${ROOT}/test/quits.test.ts`, 'passed', ['pending', 'pending', 'pending']]);
    expect(brief('crash-kill')).toEqual({
      tests: [
        { id: 'unit::test/fine.test.ts::adds two numbers', status: 'passed', line: 4 },
        {
          id: 'unit::test/wrong.test.ts::adds negatives',
          status: 'failed',
          line: 4,
          message: 'AssertionError: expected -3 to be -4 // Object.is equality',
          errorName: 'AssertionError',
          at: 'test/wrong.test.ts:5:23',
        },
      ],
      loadFailures: [
        { file: 'test/quits.test.ts', message: 'test/quits.test.ts did not finish: its worker exited unexpectedly (no result for 3 of its tests)', errorName: undefined, at: undefined },
      ],
    });
    // Without the printed output the worker's death is not known, only that the file did not finish.
    expect(brief('crash-kill', false).loadFailures.map((l) => l.message)).toEqual(['test/quits.test.ts did not finish (no result for 3 of its tests)']);
  });

  it('rejects what is not a vitest report, naming the offending field', () => {
    expect(() => parseVitestReport({ testResults: [{ name: '/repo/a.test.ts', status: 'failed' }] }, { suite: 'unit', cwd: ROOT })).toThrow(
      'Not a vitest JSON report (suite "unit"): testResults.0.assertionResults: Invalid input: expected array, received undefined',
    );
    expect(() => parseVitestReport('{}', { suite: 'unit', cwd: ROOT })).toThrow(/^Not a vitest JSON report \(suite "unit"\): \(root\): /);
    expect(() =>
      parseVitestReport(
        { testResults: [{ name: '/repo/a.test.ts', status: 'passed', assertionResults: [{ ancestorTitles: [], title: 't', status: 'weird' }] }] },
        { suite: 'unit', cwd: ROOT },
      ),
    ).toThrow(/testResults\.0\.assertionResults\.0\.status: /);
  });
});
