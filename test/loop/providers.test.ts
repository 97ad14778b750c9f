import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { fromJournal } from '../../src/loop/resume.js';
import type { Candidate, LoopEvent, Problem } from '../../src/model.js';
import type { PatchProvider, ProposeContext, ProviderStart } from '../../src/repair/types.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED } from '../helpers/loop-fixtures.js';

const SPEND = { requests: 1, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUSD: 0.01, cacheHitShare: 0 };

/** Fixes the counter, says so through ctx.emit, and records every hook the loop calls. */
function watched(calls: string[]): PatchProvider {
  return {
    name: 'watched',
    start(run: ProviderStart) {
      calls.push(`start(${run.earlier.length})`);
    },
    iterationStart(iteration: number) {
      calls.push(`iterationStart(${iteration})`);
    },
    stop() {
      calls.push('stop');
      return { llm: SPEND };
    },
    async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
      calls.push('propose');
      ctx.emit?.({ type: 'llm:notice', problemId: problem.id, kind: 'paused', message: 'a word from the provider' });
      const before = readFileSync(path.join(ctx.root, 'src/counter.ts'), 'utf8');
      yield { id: 'watched-1', problemId: problem.id, provider: 'watched', title: 'fix next', rationale: 'test', patch: { changes: [{ path: 'src/counter.ts', before, after: COUNTER_FIXED }] } };
    },
  };
}

describe('the provider lifecycle', () => {
  it('calls start, iterationStart and stop on every provider; their events join the stream and journal, stop() the summary', async () => {
    const calls: string[] = [];
    const repo = makeVitestRepo(COUNTER);
    const loop = createLoop({ cwd: repo, providers: [watched(calls)] });
    const events = await collect(loop);
    const summary = await loop.result;

    expect(calls).toEqual(['start(0)', 'iterationStart(1)', 'propose', 'stop']);
    expect(summary.stopReason).toBe('green');
    expect(summary.llm).toEqual(SPEND);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', llm: SPEND });
    const notice = events.find((e) => e.type === 'llm:notice');
    expect(notice).toMatchObject({ type: 'llm:notice', kind: 'paused', message: 'a word from the provider', runId: summary.runId });

    const journal = readFileSync(path.join(repo, '.fixloop', 'runs', summary.runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoopEvent);
    expect(journal).toEqual(JSON.parse(JSON.stringify(events.filter((e) => e.type !== 'suite:progress'))));
    expect(fromJournal(journal, summary.runId).providerEvents).toEqual([notice]);
  }, 240_000);
});
