import { describe, expect, it } from 'vitest';
import { errorNameOf, framesOf, headline, isRepoFile, pickLocation, relativizeText, stripAnsi, toRepoPath } from '../../src/runners/error-text.js';

const ctx = { root: '/repo', runDir: '/repo/pkg' };

describe('error text', () => {
  it('makes printed paths repository-relative and drops what is no file', () => {
    expect(toRepoPath('/repo/src/a.ts', ctx)).toBe('src/a.ts');
    expect(toRepoPath('file:///repo/src/a.ts?v=123', ctx)).toBe('src/a.ts');
    expect(toRepoPath('src/a.ts', ctx)).toBe('pkg/src/a.ts');
    expect(toRepoPath('../../work/node_modules/x.js', ctx)).toBe('../work/node_modules/x.js');
    expect(toRepoPath('node:internal/timers', ctx)).toBeUndefined();
    expect(toRepoPath('<anonymous>', ctx)).toBeUndefined();
    expect([isRepoFile('src/a.ts'), isRepoFile('../x.ts'), isRepoFile('node_modules/x/i.js'), isRepoFile('')]).toEqual([true, false, false, false]);
  });

  it('reads V8 frames, vitest frames, oxc boxes, vite "File:" lines and esbuild errors, skipping dependencies', () => {
    const text = [
      'at fn (/repo/src/a.ts:1:2)',
      '    at /repo/test/a.test.ts:3:4',
      '    at async file:///repo/node_modules/x/i.js:5:6',
      '    at new Promise (<anonymous>)',
      ' ❯ joinAll src/b.ts:7:8',
      ' ❯ listOnTimeout node:internal/timers:581:17',
      '   ╭─[ src/c.ts:9:10 ]',
      '  File: /repo/src/d.js:11:12',
      '/repo/src/e.ts:13:14: ERROR: Expected ";" but found "x"',
    ].join('\n');
    expect(framesOf(text, ctx)).toEqual([
      { file: 'src/a.ts', line: 1, column: 2 },
      { file: 'test/a.test.ts', line: 3, column: 4 },
      { file: 'pkg/src/b.ts', line: 7, column: 8 },
      { file: 'pkg/src/c.ts', line: 9, column: 10 },
      { file: 'src/d.js', line: 11, column: 12 },
      { file: 'src/e.ts', line: 13, column: 14 },
    ]);
  });

  it('prefers a frame outside the test file and falls back to the test file', () => {
    const inTest = { file: 'test/a.test.ts', line: 3 };
    const inSource = { file: 'src/a.ts', line: 1 };
    expect(pickLocation([inTest, inSource], 'test/a.test.ts')).toBe(inSource);
    expect(pickLocation([inTest], 'test/a.test.ts')).toBe(inTest);
    expect(pickLocation([], 'test/a.test.ts')).toBeUndefined();
  });

  it('takes the first line of an error, joined to the next when it only announces it', () => {
    expect(headline('TypeError: x is not a function\n    at f (/repo/a.ts:1:1)')).toBe('TypeError: x is not a function');
    expect(headline('\nError: Transform failed with 1 error:\n\n[PARSE_ERROR] Unexpected token\n   ╭─[ a.ts:1:1 ]')).toBe(
      'Error: Transform failed with 1 error: [PARSE_ERROR] Unexpected token',
    );
    expect(headline(' ❯ a.ts:1:1')).toBe('');
    expect(headline('x'.repeat(600))).toHaveLength(500);
  });

  it('names the error class only when the message starts with one', () => {
    expect(errorNameOf('AssertionError: expected 2 to be 6')).toBe('AssertionError');
    expect(errorNameOf('TypeError [ERR_INVALID_ARG_TYPE]: bad')).toBe('TypeError');
    expect(errorNameOf('Error: Test timed out in 300ms.')).toBe('Error');
    expect(errorNameOf('nope is not a function')).toBeUndefined();
  });

  it('removes the root from messages, as a path and as a file URL', () => {
    expect(relativizeText('imported from /repo/src/a.ts (file:///repo/src/b.ts:1:2)', '/repo')).toBe('imported from src/a.ts (src/b.ts:1:2)');
  });
});

describe('stripAnsi on colour pytest wrote into JUnit XML', () => {
  it('removes the codes whose escape character XML turned into "#x1B"', () => {
    expect(stripAnsi('#x1B[1m#x1B[31msrc/price.py#x1B[0m:6: NameError\r\n')).toBe('src/price.py:6: NameError\n');
  });
});
