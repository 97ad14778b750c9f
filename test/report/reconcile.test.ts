// Honesty: for every captured run of every runner, the totals fixloop reports equal the runner's
// own totals (its JSON counters or its terminal summary), under each runner's way of counting.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SuiteRun, TestRun, Totals } from '../../src/model.js';
import { iterationJson, renderIterationMarkdown } from '../../src/report/index.js';
import { countTotals, parseJestReport, parseJunitXml, parseNodeTestReport, parseVitestReport } from '../../src/runners/index.js';
import { CTX, FIXTURES, readCapture, ROOT } from '../runners/runner-captures.js';

/** The captured runs of a runner that wrote a report (a run killed at its timeout writes none: it has no totals to reconcile). */
function cases(runner: string, report?: string): string[] {
  return readdirSync(`${FIXTURES}${runner}`).filter(
    (c) => statSync(`${FIXTURES}${runner}/${c}`).isDirectory() && (!report || existsSync(`${FIXTURES}${runner}/${c}/${report}`)),
  );
}

/** What fixloop reports for one suite run: the JSON document's totals and the Markdown row's cells. */
function reported(results: Pick<SuiteRun, 'tests' | 'loadFailures'>): { json: Totals; row: string } {
  const suite: SuiteRun = { suite: 'unit', command: 'x', exitCode: 1, durationMs: 1, timedOut: false, ...results, totals: countTotals(results.tests, results.loadFailures) };
  const run: TestRun = { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, suites: [suite], totals: suite.totals };
  const rec = { runId: 'r', iteration: 1, startedAt: '', endedAt: '', before: run, after: run, problems: [], attempts: [], commits: [], baseSha: 'abc' };
  const row = renderIterationMarkdown(rec).split('\n').find((l) => l.startsWith('| unit |'))!;
  return { json: iterationJson(rec).totals.after, row };
}

/** The Passed, Failed, Skipped and Load errors cells of a Test execution row. */
function cells(row: string): number[] {
  return row.split('|').slice(4, 8).map((c) => Number(c.trim()));
}

describe('report totals reconcile with the runner\'s own totals', () => {
  it.each(cases('vitest', 'report.json'))('vitest %s: JSON counters, and "Failed Suites N" for files that did not load', (name) => {
    const json = JSON.parse(readCapture('vitest', name, 'report.json'));
    const output = readCapture('vitest', name, 'output.txt');
    const { json: t, row } = reported(parseVitestReport(json, { suite: 'unit', cwd: ROOT, defaultOutput: output }));
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    const failedSuites = Number(/Failed Suites (\d+)/.exec(plain)?.[1] ?? 0);
    // A file whose worker died (crash-kill) is in neither count of the "Test Files" line and its
    // tests, "pending" in the JSON with no result, in no count of it: fixloop reports that file
    // as one that did not finish, and not its tests.
    const files = /Test Files\s+(.*?)\s*\((\d+)\)/.exec(plain)!;
    const unfinishedFiles = Number(files[2]) - [...files[1].matchAll(/(\d+) \w+/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const unfinishedTests = json.testResults.flatMap((f: { assertionResults: { status: string }[] }) => f.assertionResults).filter((a: { status: string }) => a.status === 'pending').length;
    expect([t.tests, t.passed, t.failed, t.skipped, t.loadErrors]).toEqual([
      json.numTotalTests - unfinishedTests, json.numPassedTests, json.numFailedTests, json.numPendingTests + json.numTodoTests, failedSuites + unfinishedFiles,
    ]);
    expect(cells(row)).toEqual([t.passed, t.failed, t.skipped, t.loadErrors]);
  });

  // A jest that dies with its test (the crash cases, run in band) writes no report: no totals to reconcile.
  it.each(cases('jest', 'report.json'))('jest %s: JSON counters; files that did not load are numRuntimeErrorTestSuites', (name) => {
    const json = JSON.parse(readCapture('jest', name, 'report.json'));
    const { json: t, row } = reported(parseJestReport(json, 'unit', CTX));
    expect([t.tests, t.passed, t.failed, t.skipped, t.loadErrors]).toEqual([
      json.numTotalTests, json.numPassedTests, json.numFailedTests, json.numPendingTests + json.numTodoTests, json.numRuntimeErrorTestSuites,
    ]);
    expect(cells(row)).toEqual([t.passed, t.failed, t.skipped, t.loadErrors]);
  });

  it.each(cases('pytest', 'junit.xml'))('pytest %s: the terminal summary line; collection errors are files that did not load', (name) => {
    const xml = readCapture('pytest', name, 'junit.xml');
    const summary = readCapture('pytest', name, 'output.txt').split('\n').filter((l) => /^=+ .* in [\d.]+s =+$/.test(l)).at(-1)!;
    const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary)?.[1] ?? 0);
    const { json: t, row } = reported(parseJunitXml(xml, { suite: 'unit', dialect: 'pytest', ...CTX }));
    expect([t.passed, t.failed, t.skipped, t.loadErrors]).toEqual([count('passed'), count('failed'), count('skipped'), count('errors?')]);
    expect(cells(row)).toEqual([t.passed, t.failed, t.skipped, t.loadErrors]);
  });

  it.each(cases('node-test', 'output.txt'))('node:test %s: the "ℹ" summary; node counts a file that did not load as one failed test', (name) => {
    const output = readCapture('node-test', name, 'output.txt');
    const n = (word: string) => Number(new RegExp(`^ℹ ${word} (\\d+)$`, 'm').exec(output)?.[1]);
    const { json: t } = reported(parseNodeTestReport(readCapture('node-test', name, 'report.ndjson'), 'unit', CTX));
    expect([t.tests + t.loadErrors, t.passed, t.failed + t.loadErrors, t.skipped]).toEqual([n('tests'), n('pass'), n('fail') + n('cancelled'), n('skipped') + n('todo')]);
  });
});
