import { describe, expect, it } from 'vitest';
import type { Failure, FailureKind } from '../../src/model.js';
import { classifyFailure } from '../../src/triage/classify.js';
import { parseCapture } from '../runners/captures.js';

describe('classifyFailure on real vitest failures', () => {
  const kinds = (name: string, withOutput = true): [string, FailureKind][] => {
    const { tests, loadFailures } = parseCapture(name, withOutput);
    return [
      ...loadFailures.map((l): [string, FailureKind] => [l.file, classifyFailure(l.failure)]),
      ...tests.filter((t) => t.failure).map((t): [string, FailureKind] => [t.fullName, classifyFailure(t.failure!)]),
    ];
  };

  it('reads syntax errors of oxc and of vite import analysis', () => {
    expect(kinds('syntax-ts')).toEqual([
      ['test/broken.test.ts', 'syntax'],
      ['test/x.test.ts', 'syntax'],
    ]);
    expect(kinds('syntax-js')).toEqual([['test/y.test.ts', 'syntax']]);
  });

  it('reads missing modules and packages as module-load', () => {
    expect(kinds('missing-module')).toEqual([
      ['test/app.test.ts', 'module-load'],
      ['test/nopkg.test.ts', 'module-load'],
      ['shouts', 'type'],
    ]);
  });

  it('reads undefined names and TDZ errors as reference, with or without the class name', () => {
    expect(kinds('import-time')).toEqual([
      ['test/config.test.ts', 'reference'],
      ['test/env.test.ts', 'reference'],
    ]);
    expect(kinds('import-time', false)).toEqual([
      ['test/config.test.ts', 'reference'],
      ['test/env.test.ts', 'reference'],
    ]);
    expect(kinds('reference').map(([, kind]) => kind)).toEqual(['reference', 'reference', 'reference']);
  });

  it('reads calls of missing exports as type errors, and assertions as assertions', () => {
    expect(kinds('missing-export')).toEqual([
      ['test/direct.test.ts', 'type'],
      ['test/indirect.test.ts', 'type'],
      ['joins paths', 'type'],
      ['uses missing', 'assertion'],
    ]);
    expect(kinds('missing-export', false).slice(0, 2)).toEqual([
      ['test/direct.test.ts', 'type'],
      ['test/indirect.test.ts', 'type'],
    ]);
    expect(kinds('assertions').map(([, kind]) => kind)).toEqual(['assertion', 'assertion']);
  });

  it('reads a test timeout', () => {
    expect(kinds('timeout')).toEqual([['waits forever', 'timeout']]);
  });
});

describe('classifyFailure on messages of other tools and versions', () => {
  const cases: [Failure, FailureKind][] = [
    [{ message: "SyntaxError: The requested module './lib.js' does not provide an export named 'bar'", errorName: 'SyntaxError' }, 'module-load'],
    [{ message: 'Error: Failed to load url ./missing (resolved id: ./missing) in /repo/src/a.ts. Does the file exist?', errorName: 'Error' }, 'module-load'],
    [{ message: 'Error: "foo" is not exported by "src/lib.ts", imported by "src/a.ts".', errorName: 'Error' }, 'module-load'],
    [{ message: 'Error: Transform failed with 1 error: src/x.ts:3:18: ERROR: Expected ";" but found "x"', errorName: 'Error' }, 'syntax'],
    [{ message: 'SyntaxError: Unexpected end of input', errorName: 'SyntaxError' }, 'syntax'],
    [{ message: "TypeError: Cannot read properties of undefined (reading 'id')", errorName: 'TypeError' }, 'type'],
    [{ message: 'TypeError: Foo is not a constructor' }, 'type'],
    [{ message: 'Error: Hook timed out in 10000ms.', errorName: 'Error' }, 'timeout'],
    [{ message: 'Error: connect ECONNREFUSED 127.0.0.1:5432', errorName: 'Error' }, 'environment'],
    [{ message: 'Error: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' }, 'environment'],
    // An assertion quotes values that may look like other errors: its class decides.
    [{ message: "AssertionError: expected 'x is not defined' to be 'ok'", errorName: 'AssertionError' }, 'assertion'],
    [{ message: 'expected 3 to equal 4' }, 'assertion'],
    [{ message: 'Error: No test suite found in file test/empty.test.ts', errorName: 'Error' }, 'unknown'],
    [{ message: 'Error: boom', errorName: 'Error' }, 'unknown'],
    // Go's compiler, for a package that does not build.
    [{ message: 'syntax error: unexpected newline in composite literal; possibly missing comma or }' }, 'syntax'],
    [{ message: 'cannot use n (variable of type int) as string value in return statement' }, 'type'],
    [{ message: 'no required module provides package example.com/gone; to add it:' }, 'module-load'],
  ];
  it.each(cases)('%j is %s', (failure, kind) => {
    expect(classifyFailure(failure)).toBe(kind);
  });
});
