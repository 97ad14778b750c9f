// Which runs a verification makes (issue 12: a loop that repairs a fault costs ≤ 2.5× a plain run).
// ms runs jest twice, in node and in edge-runtime: each start costs ~12 s whether it runs 28 tests
// or 167, so a targeted run of the second suite after the first showed the fix only delayed the
// full runs that decide.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Candidate, Problem, SuiteRun, TestRun } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/index.js';
import type { TestRunnerAdapter } from '../../src/runners/types.js';
import { countTotals } from '../../src/test-run.js';
import { verifyCandidate } from '../../src/verify/index.js';
import { makeRepo } from '../helpers/git-repo.js';

const FAULTY = 'export const ms = (value) => parse(vamue);\n';
const FIXED = 'export const ms = (value) => parse(value);\n';
const SUITES: SuiteConfig[] = [
  { name: 'nodejs', command: 'jest --env node', format: 'jest', timeoutSec: 60 },
  { name: 'edge', command: 'jest --env edge', format: 'jest', timeoutSec: 60 },
];
const FILES = ['src/index.test.ts', 'src/format.test.ts', 'src/parse.test.ts'];

/** Both suites judged from src/index.ts, three tests a file; records each run as "suite:whole" or "suite:files". */
function jestTwice(calls: string[]): TestRunnerAdapter {
  return {
    format: 'jest',
    async run(suite, options): Promise<SuiteRun> {
      calls.push(`${suite.name}:${options.files ? options.files.join(',') : options.tests ? 'by name' : 'whole'}`);
      const fixed = readFileSync(path.join(options.cwd, 'src/index.ts'), 'utf8') === FIXED;
      const files = options.files ?? FILES;
      const tests = files.flatMap((file) =>
        [1, 2, 3].map((n) => {
          const failing = !fixed && file === 'src/index.test.ts';
          return {
            id: `${suite.name}::${file}::t${n}`, suite: suite.name, file, fullName: `t${n}`, status: failing ? 'failed' : 'passed',
            ...(failing ? { failure: { message: 'ReferenceError: vamue is not defined', errorName: 'ReferenceError' } } : {}),
          };
        }),
      ) as SuiteRun['tests'];
      return { suite: suite.name, command: suite.command, durationMs: 30_000, loadFailures: [], exitCode: fixed ? 0 : 1, timedOut: false, tests, totals: countTotals(tests, []) };
    },
  };
}

async function baselineOf(repo: string): Promise<TestRun> {
  const calls: string[] = [];
  const adapter = jestTwice(calls);
  const suites = await Promise.all(SUITES.map((s) => adapter.run(s, { cwd: repo })));
  return { startedAt: '', durationMs: 60_000, suites, totals: countTotals(suites.flatMap((s) => s.tests), []) };
}

function problemOf(baseline: TestRun): Problem {
  const failing = baseline.suites.flatMap((s) => s.tests.filter((t) => t.status === 'failed'));
  return {
    id: 'p1', kind: 'reference', title: 'ReferenceError: vamue is not defined (src/index.ts:1)', message: 'ReferenceError: vamue is not defined',
    location: { file: 'src/index.ts', line: 1 }, testIds: failing.map((t) => t.id), loadFailedFiles: [], testFiles: ['src/index.test.ts'], failures: [],
  };
}

const candidate = (after: string): Candidate => ({
  id: 'c1', problemId: 'p1', provider: 'test', title: 'edit', rationale: 'test', patch: { changes: [{ path: 'src/index.ts', before: FAULTY, after }] },
});

describe('the runs a verification makes, with two slow suites', () => {
  it('goes to the full runs as soon as one suite\'s targeted run shows a change', async () => {
    const repo = makeRepo({ 'src/index.ts': FAULTY, ...Object.fromEntries(FILES.map((f) => [f, '// tests\n'])) });
    const baseline = await baselineOf(repo);
    const calls: string[] = [];
    const verdict = await verifyCandidate({ repoRoot: repo, ref: 'HEAD', suites: SUITES, baseline, problem: problemOf(baseline), candidate: candidate(FIXED), adapters: { jest: jestTwice(calls) } });

    expect(verdict.kind).toBe('fixed');
    expect(verdict.fixed).toHaveLength(6);
    expect(calls).toEqual(['nodejs:src/index.test.ts', 'nodejs:whole', 'edge:whole']);
  });

  it('runs every targeted suite and no full one when none shows a change', async () => {
    const repo = makeRepo({ 'src/index.ts': FAULTY, ...Object.fromEntries(FILES.map((f) => [f, '// tests\n'])) });
    const baseline = await baselineOf(repo);
    const calls: string[] = [];
    const verdict = await verifyCandidate({ repoRoot: repo, ref: 'HEAD', suites: SUITES, baseline, problem: problemOf(baseline), candidate: candidate('export const ms = (value) => parse(vamue) ;\n'), adapters: { jest: jestTwice(calls) } });

    expect(verdict.kind).toBe('no-effect');
    expect(calls).toEqual(['nodejs:src/index.test.ts', 'edge:src/index.test.ts']);
  });
});
