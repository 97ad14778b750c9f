import { describe, expect, it } from 'vitest';
import { parseDefaultOutput } from '../../src/runners/vitest/text.js';
import { capture } from './captures.js';

describe('parseDefaultOutput', () => {
  it('reads the "Failed Suites" and "Failed Tests" blocks of a real run, in printed order', () => {
    const blocks = parseDefaultOutput(capture('missing-export').output);
    expect(blocks.map(({ section, file, line, column, names }) => ({ section, file, line, column, names }))).toEqual([
      { section: 'suites', file: 'test/direct.test.ts', names: [] },
      { section: 'suites', file: 'test/indirect.test.ts', names: [] },
      { section: 'tests', file: 'test/builtin.test.ts', line: 4, column: 1, names: ['joins paths'] },
      { section: 'tests', file: 'test/js.test.ts', line: 4, column: 1, names: ['uses missing'] },
    ]);
    expect(blocks[1].body).toBe(
      [
        'TypeError: bar is not a function',
        ' ❯ src/uses.ts:3:22',
        "      1| import { bar } from './lib';",
        '      2|',
        '      3| export const value = bar();',
        '       |                      ^',
        '      4|',
        ' ❯ test/indirect.test.ts:2:1',
      ].join('\n'),
    );
  });

  it('splits nested describe names and strips ANSI codes from bodies', () => {
    const blocks = parseDefaultOutput(capture('assertions').output);
    expect(blocks.map((b) => [b.file, b.line, b.names])).toEqual([
      ['test/price.test.ts', 6, ['price', 'total', 'sums price times quantity']],
      ['test/price.test.ts', 15, ['price', 'labels with an upper-case copy']],
    ]);
    const syntax = parseDefaultOutput(capture('syntax-ts').output);
    expect(syntax[1].body.split('\n').slice(0, 4)).toEqual([
      'Error: Transform failed with 1 error:',
      '',
      '[PARSE_ERROR] Unexpected token',
      '   ╭─[ src/x.ts:3:18 ]',
    ]);
  });

  it('gives every test of a shared error the same body, and ignores unhandled errors and project prefixes', () => {
    const output = [
      '⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯',
      '',
      ' FAIL  |unit| test/a.test.ts > first',
      ' FAIL  |unit| test/a.test.ts > second',
      'Error: boom',
      ' ❯ src/a.ts:2:9',
      '',
      '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
      '',
      '⎯⎯⎯⎯⎯⎯ Unhandled Errors ⎯⎯⎯⎯⎯⎯',
      ' FAIL  test/b.test.ts > never read',
      'Error: late',
      '',
      ' Test Files  1 failed (1)',
    ].join('\n');
    expect(parseDefaultOutput(output)).toEqual([
      { section: 'tests', file: 'test/a.test.ts', names: ['first'], body: 'Error: boom\n ❯ src/a.ts:2:9' },
      { section: 'tests', file: 'test/a.test.ts', names: ['second'], body: 'Error: boom\n ❯ src/a.ts:2:9' },
    ]);
  });

  it('finds nothing in a passing run', () => {
    expect(parseDefaultOutput(capture('passing').output)).toEqual([]);
  });
});
