import { describe, expect, it } from 'vitest';
import { iterationJson } from '../../src/report/index.js';
import { blockedRecord, demoRecord, envProblem } from './records.js';

// The document as a consumer sees it: through JSON, so undefined values would vanish here.
const doc = (rec = demoRecord(), opts = {}) => JSON.parse(JSON.stringify(iterationJson(rec, opts)));

describe('iterationJson', () => {
  it('identifies the iteration and copies the recorded totals exactly', () => {
    const rec = demoRecord();
    const d = doc(rec);
    expect(d).toMatchObject({ schemaVersion: 1, runId: rec.runId, iteration: 1, startedAt: rec.startedAt, endedAt: rec.endedAt, baseSha: rec.baseSha, green: true });
    expect(d.totals).toEqual({ before: rec.before.totals, after: rec.after.totals });
    expect(d.newlyPassing).toHaveLength(6);
  });

  it('keeps the same keys when optional values are absent', () => {
    expect(Object.keys(doc())).toEqual(Object.keys(doc(blockedRecord())));
    expect(doc().suites[0]).toMatchObject({ logFile: null, blocker: null });
    expect(doc(blockedRecord()).fixes).toEqual([]);
  });

  it('describes each fix with its root cause and verdict, and each attempt with its diff', () => {
    const d = doc();
    expect(d.fixes).toEqual([
      expect.objectContaining({
        sha: 'a3f9c2e7b1d04e5f8a6b7c9d0e1f2a3b4c5d6e7f',
        problemId: envProblem.id,
        provider: 'codefix',
        rootCause: expect.stringContaining('never imports it from node:fs'),
        verdict: expect.objectContaining({ kind: 'fixed', broke: [] }),
      }),
    ]);
    expect(d.attempts.map((a: { outcome: string; verdict: { kind: string } }) => [a.outcome, a.verdict.kind])).toEqual([
      ['rejected', 'regressed'],
      ['committed', 'fixed'],
    ]);
    expect(d.attempts[1].diff).toContain("+import { readFileSync } from 'node:fs';");
    expect(d.problems[0]).toMatchObject({ id: envProblem.id, loadFailedFiles: envProblem.loadFailedFiles, location: { file: 'src/shared/env.ts', line: 4, column: 15 } });
  });

  it('lists every failing and skipped test id and the blocker, but not every passing test', () => {
    const d = doc(blockedRecord());
    expect(d.green).toBe(false);
    const unit = d.suites.find((s: { suite: string }) => s.suite === 'unit');
    expect(unit.failing).toEqual([
      'unit::test/price.test.ts::price > rounds up',
      'unit::test/price.test.ts::price > rounds totals',
      'unit::test/cart.test.ts::cart | checkout > applies coupon',
    ]);
    expect(unit.skipped).toEqual([
      'unit::test/cart.test.ts::cart > gift wrap',
      'unit::test/cart.test.ts::cart > loyalty points',
      'unit::test/cart.test.ts::cart > currency',
    ]);
    expect(unit.loadFailed).toEqual(['test/legacy.test.ts']);
    expect(d.stillFailing.tests.map((t: { id: string }) => t.id)).toEqual(unit.failing);
    expect(d.stillFailing.tests[0]).toMatchObject({ message: 'AssertionError: expected 10.99 to be 11', location: { file: 'test/price.test.ts', line: 12 } });
    expect(d.stillFailing.loadFailures).toEqual([
      { suite: 'unit', file: 'test/legacy.test.ts', message: "SyntaxError: Unexpected token '}'", errorName: null, location: { file: 'src/legacy.ts', line: 3, column: null } },
    ]);
    expect(d.blockers).toEqual([
      { suite: 'e2e', command: 'npx playwright test', exitCode: 127, timedOut: false, reason: 'command-not-found', message: 'playwright: not found', outputTail: 'sh: 1: playwright: not found\n' },
    ]);
    expect(JSON.stringify(d)).not.toContain('math > adds 1');
  });

  it('is not green when fewer tests reported than expected', () => {
    expect(doc(demoRecord(), { expectedTests: 30 })).toMatchObject({ green: false, expectedTests: 30 });
  });
});

describe('the iteration report JSON Schema', () => {
  it('every document the records produce parses with the strict zod schema', async () => {
    const { IterationReportSchema } = await import('../../src/report/index.js');
    const { blockedRecord, demoRecord } = await import('./records.js');
    const withEverything = { ...blockedRecord(), flaky: [{ id: 'x', history: ['failed' as const, 'passed' as const] }], categories: { all: ['**'] }, expectedTests: 20, discovery: [{ suite: 'unit', count: 17 }] };
    for (const rec of [demoRecord(), blockedRecord(), withEverything]) {
      const result = IterationReportSchema.safeParse(JSON.parse(JSON.stringify(iterationJson(rec, { expectedTests: rec.expectedTests }))));
      expect(result.success ? 'valid' : result.error.issues).toBe('valid');
    }
  });

  it('docs/iteration.schema.json is the schema generated from zod (run `npm run schema` after changing it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { iterationReportJsonSchema } = await import('../../src/report/index.js');
    const onDisk = JSON.parse(readFileSync(new URL('../../docs/iteration.schema.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(iterationReportJsonSchema());
    expect(onDisk.additionalProperties).toBe(false);
  });
});
