import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop, type Approver } from '../../src/loop/index.js';
import type { Decision } from '../../src/model.js';
import type { PatchProvider } from '../../src/repair/types.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED } from '../helpers/loop-fixtures.js';

const VERBOSE = 'export const next = (n: number) => {\n  const one = 1;\n  return n + one;\n};\nexport const prev = (n: number) => n - 1;\n';

/** Two good fixes, the smaller one best. */
const two: PatchProvider = {
  name: 'two',
  async *propose(problem, ctx) {
    const before = readFileSync(path.join(ctx.root, 'src/counter.ts'), 'utf8');
    for (const [id, after] of [['minimal', COUNTER_FIXED], ['verbose', VERBOSE]]) {
      yield { id, problemId: problem.id, provider: 'two', title: `${id} fix`, rationale: 't', patch: { changes: [{ path: 'src/counter.ts', before, after }] } };
    }
  },
};

function answering(...decisions: Decision[]): Approver & { asked: string[] } {
  const asked: string[] = [];
  const approver = async ({ candidate }: { candidate: { id: string } }) => {
    asked.push(candidate.id);
    return decisions.shift() ?? 'stop';
  };
  return Object.assign(approver, { asked });
}

function repo(): string {
  const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, verify: { concurrency: 2 } });
  return makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
}

describe('supervised mode (the SDK Approver)', () => {
  it('offers the best verified candidate first; after a rejection, the next one; commits what is accepted', async () => {
    const approver = answering('reject', 'accept');
    const loop = createLoop({ cwd: repo(), providers: [two], approver });
    const events = await collect(loop);
    expect(approver.asked).toEqual(['minimal', 'verbose']);
    expect(events.filter((e) => e.type === 'candidate:decision').map((e) => e.type === 'candidate:decision' && [e.candidateId, e.decision])).toEqual([
      ['minimal', 'reject'],
      ['verbose', 'accept'],
    ]);
    const summary = await loop.result;
    expect(summary.commits.map((c) => c.candidateId)).toEqual(['verbose']);
    const attempts = JSON.parse(readFileSync(summary.reports[1], 'utf8')).attempts;
    expect(attempts.map((a: { candidateId: string; outcome: string; reason: string | null }) => [a.candidateId, a.outcome, a.reason])).toEqual([
      ['minimal', 'rejected', 'rejected by the approver'],
      ['verbose', 'committed', null],
    ]);
  });

  it('skips the problem: nothing committed, the run ends without progress', async () => {
    const approver = answering('skip');
    const loop = createLoop({ cwd: repo(), providers: [two], approver });
    await collect(loop);
    const summary = await loop.result;
    expect(approver.asked).toEqual(['minimal']);
    expect([summary.commits.length, summary.stopReason]).toEqual([0, 'no-progress']);
  });

  it('stops the run: status interrupted, stop reason stopped, reports written', async () => {
    const loop = createLoop({ cwd: repo(), providers: [two], approver: answering('stop') });
    await collect(loop);
    const summary = await loop.result;
    expect([summary.status, summary.stopReason, summary.commits.length]).toEqual(['interrupted', 'stopped', 0]);
    expect(summary.reports.map((r) => path.basename(r))).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html']);
  });
});
