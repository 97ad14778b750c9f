// jest 27 and 29 beside the project's own 30: the same flags, and their real reports
// (fixtures/jest/versions/<version>/<case>, captured by capture-versions.sh) read as jest 30's.
import { describe, expect, it } from 'vitest';
import { jestWarnings } from '../../src/runners/jest/adapter.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const parse = (dir: string) => parseJestReport(JSON.parse(readCapture('jest', dir, 'report.json')), 'unit', CTX);
const v = (version: string) => ({ version, major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), from: 'test' });
const byFile = <T extends unknown[]>(rows: T[]) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('jest 27.5.1 and 29.7.0 reports', () => {
  it.each(['27.5.1', '29.7.0'])('jest %s: failing tests, a timeout and files that do not load read as jest 30 reads them', (version) => {
    expect(brief(parse(`versions/${version}/failing`))).toEqual(brief(parse('failing')));
    // The timeout is placed on the test's line as jest 30 places it; jest 27 and 29 point at the
    // promise (column 56 of `test('waits forever', () => new Promise(() => {}), 300);`), jest 30 at `test`.
    const timeout = brief(parse(`versions/${version}/timeout`));
    expect(timeout.tests.map((t) => t[5])).toEqual(['test/slow.test.js:1:56', undefined]);
    expect(timeout.tests.map((t) => t.slice(0, 5))).toEqual(brief(parse('timeout')).tests.map((t) => t.slice(0, 5)));
    // jest runs test files in parallel: the order of the files differs from run to run.
    const load = brief(parse(`versions/${version}/load`));
    const load30 = brief(parse('load'));
    // Their columns differ (babel-jest 27/29 map a module-level error to another column of the same line).
    const lines = (rows: unknown[][]) => byFile(rows).map((row) => row.map((cell, i) => (i === 3 && typeof cell === 'string' ? cell.replace(/:\d+$/, '') : cell)));
    expect([byFile(load.tests), lines(load.loadFailures)]).toEqual([byFile(load30.tests), lines(load30.loadFailures)]);
    expect(lines(load.loadFailures).map((row) => row[3])).toEqual(['src/app.js:1', 'src/env.js:1', 'src/syntax.js:3']);
  });

  it('jest 27 writes no test durations: none is made up', () => {
    expect(parse('versions/27.5.1/failing').tests.map((t) => t.durationMs)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(parse('versions/29.7.0/failing').tests.every((t) => t.status === 'skipped' || t.status === 'todo' || typeof t.durationMs === 'number')).toBe(true);
  });
});

describe('what jest is told and says', () => {
  it('no version needs other flags from 22 on; a retry request is answered with re-runs in new runs, said once', () => {
    expect(jestWarnings({}, v('27.5.1'))).toEqual([]);
    expect(jestWarnings({ retries: 2 }, v('30.2.0'))).toEqual(['jest cannot retry a failing test within the run: fixloop re-runs failing tests in new runs instead.']);
    expect(jestWarnings({}, v('21.4.0'))).toEqual(['jest 21.4.0 has no --testLocationInResults (jest 22 has): its run may stop at it.']);
  });
});
