// Loads the real vitest captures in fixtures/vitest with a root of the test's choosing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuiteRun, TestRun } from '../../src/model.js';
import { countTotals } from '../../src/runners/results.js';
import { parseVitestReport } from '../../src/runners/vitest/parse.js';

export const CAPTURES = fileURLToPath(new URL('../../fixtures/vitest/', import.meta.url));
export const ROOT = '/repo';

export function capture(name: string, root = ROOT): { json: unknown; output: string } {
  const read = (file: string): string => readFileSync(`${CAPTURES}${name}/${file}`, 'utf8').replaceAll('<ROOT>', root);
  return { json: JSON.parse(read('report.json')), output: read('output.txt') };
}

export function parseCapture(name: string, withOutput = true, suite = 'unit') {
  const { json, output } = capture(name);
  return parseVitestReport(json, { suite, cwd: ROOT, defaultOutput: withOutput ? output : undefined });
}

/** A SuiteRun as VitestAdapter would return it for a capture. */
export function suiteRunOf(name: string, suite = 'unit'): SuiteRun {
  const { tests, loadFailures } = parseCapture(name, true, suite);
  return {
    suite,
    command: 'npx vitest run',
    exitCode: 1,
    durationMs: 10,
    timedOut: false,
    tests,
    loadFailures,
    totals: countTotals(tests, loadFailures),
  };
}

export function testRunOf(...suites: SuiteRun[]): TestRun {
  return { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 10, suites, totals: countTotals([], []) };
}
