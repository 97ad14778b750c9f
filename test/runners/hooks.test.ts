// A hook that throws (beforeAll, afterAll, mocha's before/after) is reported as that hook failing
// in its file, not as a file that failed to load: real captures of vitest, jest and mocha.
import { describe, expect, it } from 'vitest';
import type { LoadFailure } from '../../src/model.js';
import { parseJestReport } from '../../src/runners/jest/parse.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { parseVitestReport } from '../../src/runners/vitest/parse.js';
import { failedHook, mochaHook } from '../../src/runners/hooks.js';
import { groupProblems } from '../../src/triage/group.js';
import { countTotals } from '../../src/runners/results.js';
import { CAPTURES, capture } from './captures.js';
import { CTX, FIXTURES, readCapture } from './runner-captures.js';

const brief = (loads: LoadFailure[]) => loads.map((l) => [l.file, l.hook, l.failure.message, l.failure.location && `${l.failure.location.file}:${l.failure.location.line}`]);

describe('failed hooks', () => {
  it('vitest: the hook is read from the test file at the error frame (vitest names none)', () => {
    const root = `${CAPTURES}hooks`;
    const { json, output } = capture('hooks', root);
    const { tests, loadFailures } = parseVitestReport(json, { suite: 'unit', cwd: root, defaultOutput: output });
    expect(brief(loadFailures)).toEqual([
      ['test/after.test.ts', 'afterAll', 'TypeError: close() needs an open connection', 'src/db.ts:7'],
      ['test/before.test.ts', 'beforeAll', 'Error: cannot connect to http://localhost: not a db:// url', 'src/db.ts:2'],
    ]);
    expect(tests.map((t) => [t.fullName, t.status])).toEqual([['runs', 'passed'], ['store > reads', 'skipped'], ['store > writes', 'skipped']]);
    const problems = groupProblems({ startedAt: '', durationMs: 0, totals: countTotals(tests, loadFailures), suites: [{ suite: 'unit', command: 'vitest', exitCode: 1, durationMs: 1, timedOut: false, tests, loadFailures, totals: countTotals(tests, loadFailures) }] });
    expect(problems.map((p) => p.title)).toEqual([
      'afterAll failed in test/after.test.ts: TypeError: close() needs an open connection (src/db.ts:7)',
      'beforeAll failed in test/before.test.ts: Error: cannot connect to http://localhost: not a db:// url (src/db.ts:2)',
    ]);
  });

  it('vitest without the source at hand: skipped tests say beforeAll, tests that ran say afterAll', () => {
    const { json, output } = capture('hooks');
    const { loadFailures } = parseVitestReport(json, { suite: 'unit', cwd: '/repo', defaultOutput: output });
    expect(loadFailures.map((l) => [l.file, l.hook])).toEqual([['test/after.test.ts', 'afterAll'], ['test/before.test.ts', 'beforeAll']]);
  });

  it('jest: a failed beforeAll fails its tests (one problem at the source); a failed afterAll fails the file', () => {
    const results = parseJestReport(JSON.parse(readCapture('jest', 'hooks', 'report.json', `${FIXTURES}jest/hooks`)), 'unit', { root: `${FIXTURES}jest/hooks`, runDir: `${FIXTURES}jest/hooks` });
    expect(brief(results.loadFailures)).toEqual([['test/after.test.js', 'afterAll', 'TypeError: close() needs an open connection', 'src/db.js:6']]);
    expect(results.tests.filter((t) => t.status === 'failed').map((t) => [t.fullName, t.failure?.location?.line])).toEqual([['store > reads', 2], ['store > writes', 2]]);
  });

  it("mocha: the failing testcase titled '\"before all\" hook for …' is the file's hook, filed by its stack when the writer has no file", () => {
    for (const report of ['xunit.xml', 'mocha-junit.xml']) {
      const results = parseJunitXml(readCapture('mocha', 'hooks', report), { ...CTX, suite: 'unit' });
      expect(brief(results.loadFailures), report).toEqual([
        ['test/before.test.js', 'beforeAll', 'cannot connect to http://localhost: not a db:// url', 'src/db.js:2'],
        ['test/after.test.js', 'afterAll', 'close() needs an open connection', 'src/db.js:6'],
      ]);
      expect(results.tests.map((t) => [t.fullName, t.status]), report).toEqual([['runs', 'passed']]);
    }
  });

  it('names mocha hooks and says nothing for a file with no collected test', () => {
    expect(mochaHook('"after each" hook: reset for "x"')).toBe('afterEach');
    expect(mochaHook('before all works')).toBeUndefined();
    expect(failedHook([], '/nowhere', undefined)).toBeUndefined();
    // The source decides over the statuses: a beforeAll in one describe while another's tests passed.
    expect(failedHook(['passed', 'skipped'], `${CAPTURES}hooks`, { file: 'test/before.test.ts', line: 7 })).toBe('beforeAll');
    expect(failedHook(['passed', 'skipped'], '/nowhere', { file: 'test/before.test.ts', line: 7 })).toBe('afterAll');
  });
});
