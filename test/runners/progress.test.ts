// Live progress read from what each runner prints as it goes, on captured real output, fed in
// small chunks as a pipe delivers it; and through runSuites on a real vitest run.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSuites, type SuiteProgress } from '../../src/runners/index.js';
import { jestProgress } from '../../src/runners/jest/progress.js';
import { mochaProgress } from '../../src/runners/mocha/progress.js';
import type { ProgressCounter } from '../../src/runners/progress.js';
import { pytestProgress } from '../../src/runners/pytest/progress.js';
import { vitestProgress } from '../../src/runners/vitest/progress.js';
import { tmpProject } from './projects.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));

/** The counter's view after the whole capture, fed 7 characters at a time, and the views seen along the way. */
function feed(counter: ProgressCounter, capture: string): { last: SuiteProgress; seen: SuiteProgress[] } {
  const text = readFileSync(path.join(FIXTURES, capture), 'utf8');
  const seen: SuiteProgress[] = [];
  for (let at = 0; at < text.length; at += 7) seen.push(counter.push(text.slice(at, at + 7)));
  seen.push(counter.push('\n'));
  return { last: seen.at(-1)!, seen };
}

describe('progress counters on captured output', () => {
  it('vitest: a line per finished file, with its tests and failures (vitest 4, and 1 with its two spaces)', () => {
    expect(feed(vitestProgress(), 'vitest/assertions/output.txt').last).toEqual({ tests: 5, failed: 2, files: 1 });
    expect(feed(vitestProgress(), 'vitest/versions/1.6.1/assertions/output.txt').last).toEqual({ tests: 5, failed: 2, files: 1 });
    expect(feed(vitestProgress(), 'vitest/passing/output.txt').last).toEqual({ tests: 2, failed: 0, files: 1 });
  });

  it('jest: files, passed and failing', () => {
    expect(feed(jestProgress(), 'jest/failing/output.txt').last).toEqual({ files: 1, failedFiles: 1 });
    expect(feed(jestProgress(), 'jest/passing/output.txt').last).toEqual({ files: 1 });
  });

  it('pytest: collected, then one character per test; the count grows as the dots come', () => {
    const { last, seen } = feed(pytestProgress(), 'pytest/failing/output.txt');
    expect(last).toEqual({ expected: 6, tests: 6, failed: 3 });
    expect(seen.some((p) => p.expected === 6 && p.tests === undefined)).toBe(true);
  });

  it('mocha: ticks, pending dashes and numbered failures, not the failure list after the summary', () => {
    expect(feed(mochaProgress(), 'mocha/failing/output.txt').last).toEqual({ tests: 7, failed: 3 });
  });
});

describe('runSuites({ onProgress })', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a real vitest run as its files end, ending where the totals do', async () => {
    const dir = tmpProject('assertions');
    dirs.push(dir);
    const seen: [string, SuiteProgress][] = [];
    const run = await runSuites([{ name: 'unit', command: 'npx vitest run', format: 'vitest', timeoutSec: 120 }], {
      cwd: dir,
      onProgress: (suite, progress) => seen.push([suite, progress]),
    });
    expect(run.suites[0].totals).toMatchObject({ tests: 5, failed: 2 });
    expect(seen.at(-1)).toEqual(['unit', { tests: 5, failed: 2, files: 1 }]);
  });
});
