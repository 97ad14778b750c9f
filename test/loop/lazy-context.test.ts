// The code context the loop offers providers costs a type-check of the problem's file (6.5 s of
// defu's 25 s loop on a cold program, issue 12) and only the LLM provider reads it: it is gathered
// when a provider reads ctx.context, once per problem, never otherwise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { Candidate, CodeContext, Problem, SuiteRun } from '../../src/model.js';
import type { PatchProvider, ProposeContext } from '../../src/repair/types.js';
import type { TestRunnerAdapter } from '../../src/runners/types.js';
import { countTotals } from '../../src/test-run.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED } from '../helpers/loop-fixtures.js';

const gathered = vi.hoisted(() => ({ calls: 0 }));
const CONTEXT: CodeContext = { file: 'src/counter.ts', imports: [], referencedDeclarations: [], diagnostics: [] };

vi.mock('../../src/analysis/index.js', async (original) => ({
  ...(await original<typeof import('../../src/analysis/index.js')>()),
  contextFor: () => {
    gathered.calls++;
    return CONTEXT;
  },
}));

/** The counter's suite judged from the source, its failure located in src/counter.ts. */
function counterSuite(): TestRunnerAdapter {
  return {
    format: 'vitest',
    async run(suite, options): Promise<SuiteRun> {
      const fixed = readFileSync(path.join(options.cwd, 'src/counter.ts'), 'utf8').includes('n + 1');
      const failure = { message: 'expected 3 to be 2', errorName: 'AssertionError', location: { file: 'src/counter.ts', line: 1 } };
      const tests = [
        { id: 'unit::test/counter.test.ts::next adds one', suite: 'unit', file: 'test/counter.test.ts', fullName: 'next adds one', status: fixed ? 'passed' : 'failed', ...(fixed ? {} : { failure }) },
        { id: 'unit::test/counter.test.ts::prev subtracts one', suite: 'unit', file: 'test/counter.test.ts', fullName: 'prev subtracts one', status: 'passed' },
      ] as SuiteRun['tests'];
      return { suite: suite.name, command: suite.command, durationMs: 5, loadFailures: [], exitCode: fixed ? 0 : 1, timedOut: false, tests, totals: countTotals(tests, []) };
    },
  };
}

/** Proposes nothing, and notes how many contexts were gathered when it was asked. */
function blind(seen: number[]): PatchProvider {
  return {
    name: 'blind',
    async *propose(): AsyncIterable<Candidate> {
      seen.push(gathered.calls);
    },
  };
}

/** Reads the context twice, then fixes the counter. */
function reader(read: (CodeContext | undefined)[]): PatchProvider {
  return {
    name: 'reader',
    async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
      read.push(ctx.context, ctx.context);
      const before = readFileSync(path.join(ctx.root, 'src/counter.ts'), 'utf8');
      yield { id: 'reader-1', problemId: problem.id, provider: 'reader', title: 'fix next', rationale: 'test', patch: { changes: [{ path: 'src/counter.ts', before, after: COUNTER_FIXED }] } };
    },
  };
}

describe("the providers' code context", () => {
  it('is gathered only when a provider reads it, and once however often it is read', async () => {
    const repo = makeVitestRepo(COUNTER);
    const seen: number[] = [];
    const read: (CodeContext | undefined)[] = [];
    const loop = createLoop({ cwd: repo, providers: [blind(seen), reader(read)], adapters: { vitest: counterSuite() } });
    await collect(loop);
    const summary = await loop.result;

    expect(summary.stopReason).toBe('green');
    expect(seen).toEqual([0]);
    expect(read).toEqual([CONTEXT, CONTEXT]);
    expect(gathered.calls).toBe(1);
  });
});
