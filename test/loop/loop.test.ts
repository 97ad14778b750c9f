import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop, LoopError } from '../../src/loop/index.js';
import { IterationReportSchema } from '../../src/report/index.js';
import type { Candidate } from '../../src/model.js';
import type { PatchProvider } from '../../src/repair/types.js';
import { DEMO_APP, demoRepo, makeVitestRepo, sh } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

describe('createLoop on the demo app', () => {
  it('finds the load failure, commits the verified import fix on its own branch, and leaves the user tree alone', async () => {
    const repo = demoRepo();
    const head = sh(repo, 'git', ['rev-parse', 'HEAD']);
    const loop = createLoop({ cwd: repo });
    const events = await collect(loop);
    const summary = await loop.result;

    // Live progress comes as vitest's files end, at most once a second: how many depends on timing.
    expect(events.filter((e) => e.type !== 'suite:progress').map((e) => e.type)).toEqual([
      'run:start', 'iteration:start', 'suites:start', 'suite:end', 'suites:end', 'problem:found',
      'candidate:proposed', 'candidate:verified', 'fix:committed', 'iteration:end', 'run:end',
    ]);
    const progress = events.filter((e) => e.type === 'suite:progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(events.findIndex((e) => e.type === 'suite:progress')).toBe(3);
    const problem = events.find((e) => e.type === 'problem:found');
    expect(problem).toMatchObject({
      problem: {
        kind: 'reference',
        title: 'ReferenceError: parseBoolean is not defined (src/shared/isolated-environment.ts:22)',
        location: { file: 'src/shared/isolated-environment.ts', line: 22 },
        tests: 0,
      },
    });
    expect(summary.status).toBe('green');
    expect(summary.stopReason).toBe('green');
    expect(summary.totalsBefore).toEqual({ tests: 3, passed: 3, failed: 0, skipped: 0, loadErrors: 4 });
    expect(summary.totalsAfter).toEqual({ tests: 30, passed: 30, failed: 0, skipped: 0, loadErrors: 0 });
    expect(summary.commits).toHaveLength(1);
    const [commit] = summary.commits;
    expect(commit.files).toEqual(['src/shared/isolated-environment.ts']);
    expect(summary.branch).toBe(`fixloop/${summary.runId}`);

    const message = sh(repo, 'git', ['log', '-1', '--format=%B', summary.branch]);
    expect(message).toBe(
      [
        'fix(env): import missing parseBoolean in readEnv()',
        '',
        'Root cause: `parseBoolean` is used in src/shared/isolated-environment.ts:22 but never imported',
        'Fix: Update import from "./parse.js" (codefix)',
        'Verification: 3 passed, 0 failed, 4 files failed to load → 30 passed, 0 failed.',
        '',
        `Fixloop-Run: ${summary.runId}`,
        'Fixloop-Iteration: 1',
        'Fixloop-Provider: codefix',
        `Fixloop-Problem: ${commit.problemId}`,
        `Fixloop-Candidate: ${commit.candidateId}`,
      ].join('\n'),
    );
    expect(sh(repo, 'git', ['show', '--format=', summary.branch, '--', 'src/shared/isolated-environment.ts']).split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      "-import { parseInteger } from './parse.js';",
      "+import { parseBoolean, parseInteger } from './parse.js';",
    ]);

    // The user's branch, index and files are exactly as they were; nothing is left behind.
    expect(sh(repo, 'git', ['rev-parse', 'HEAD'])).toBe(head);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
    expect(readFileSync(path.join(repo, 'src/shared/isolated-environment.ts'), 'utf8')).not.toContain('parseBoolean, parseInteger');
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);

    const runDir = path.join(repo, '.fixloop/runs', summary.runId);
    expect(summary.reports).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html'].map((f) => path.join(runDir, f)));
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toContain('The run ended green after 1 iteration because every suite is green');
    expect(readFileSync(summary.reports[0], 'utf8')).toContain('all 30 executed tests passed (100%)');
    const json = IterationReportSchema.parse(JSON.parse(readFileSync(summary.reports[1], 'utf8')));
    expect([json.green, json.totals.after.passed, json.fixes.length]).toEqual([true, 30, 1]);
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The journal holds every event but live progress, which is for the screen.
    expect(journal).toEqual(JSON.parse(JSON.stringify(events.filter((e) => e.type !== 'suite:progress'))));
  });
});

describe('createLoop with a goal and categories', () => {
  it('discovers what it can, never calls 30 of 35 expected tests green, and reports progress and categories', async () => {
    const repo = makeVitestRepo(DEMO_APP, (dir) =>
      writeFileSync(
        path.join(dir, 'loop.policy.json'),
        JSON.stringify({
          suites: [{ name: 'all', command: 'npx vitest run', timeoutSec: 120 }],
          goal: { expectedTests: 35 },
          categories: { env: ['test/env/**'], auth: ['test/auth/**'], realtime: ['test/messages/**', 'test/websocket/**'] },
        }),
      ),
    );
    const loop = createLoop({ cwd: repo });
    const events = await collect(loop);
    const discovery = events.find((e) => e.type === 'discovery:end');
    expect(discovery).toMatchObject({ suites: [{ suite: 'all', reason: expect.stringMatching(/^`vitest list` could not collect the suite: /) }] });
    const summary = await loop.result;
    expect(summary.commits).toHaveLength(1);
    expect(summary.status).toBe('failing');
    expect(summary.totalsAfter).toEqual({ tests: 30, passed: 30, failed: 0, skipped: 0, loadErrors: 0 });
    const md = readFileSync(summary.reports.find((r) => r.endsWith('iteration-1.md'))!, 'utf8');
    const executiveSummary = md.slice(md.indexOf('## Executive summary'), md.indexOf('## Test execution'));
    expect(executiveSummary).not.toMatch(/100%|green/);
    expect(executiveSummary).toContain('5 of 35 expected tests did not report');
    expect(md).toContain('- **Not yet located:** 5 expected tests did not execute.');
    expect(md).toContain('| realtime | 13 | 13 | 0 | 0 | 0 | 100% |');
    expect(readFileSync(path.join(path.dirname(summary.reports[0]), 'summary.md'), 'utf8')).toContain('The run ended not green');
  });
});

describe('createLoop with plugged-in providers', () => {
  it('does not commit a candidate that fixes one test but breaks another (regressed)', async () => {
    const repo = makeVitestRepo(COUNTER);
    const breaksPrev = scripted('breaker', { 'src/counter.ts': 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n;\n' });
    const loop = createLoop({ cwd: repo, providers: [breaksPrev] });
    const events = await collect(loop);
    const summary = await loop.result;
    expect(events.find((e) => e.type === 'candidate:verified')).toMatchObject({
      verdict: 'regressed',
      summary: 'regressed: 1 test now passes; broke 1: unit::test/counter.test.ts::prev subtracts one',
    });
    expect(events.some((e) => e.type === 'fix:committed')).toBe(false);
    expect(summary.status).toBe('failing');
    expect(summary.stopReason).toBe('no-progress');
    expect(summary.commits).toEqual([]);
    expect(summary.branch).toBe('');
    expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*'])).toBe('');
    expect(readFileSync(summary.reports[0], 'utf8')).toContain('regressed');
  });

  it('runs a test the candidate breaks again before it counts, and one that fails every time stays broken', async () => {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 2 } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
    const breaksPrev = scripted('breaker', { 'src/counter.ts': 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n;\n' });
    const events = await collect(createLoop({ cwd: repo, providers: [breaksPrev] }));
    expect(events.find((e) => e.type === 'candidate:verified')).toMatchObject({ verdict: 'regressed' });
    expect(events.some((e) => e.type === 'flaky:found' || e.type === 'fix:committed')).toBe(false);
  });

  it('rejects a candidate that edits a test file before verifying it', async () => {
    const repo = makeVitestRepo(COUNTER);
    const cheat = scripted('cheater', { 'test/counter.test.ts': "import { it } from 'vitest';\nit('nothing', () => {});\n" });
    const events = await collect(createLoop({ cwd: repo, providers: [cheat] }));
    expect(events.find((e) => e.type === 'candidate:rejected')).toMatchObject({ reason: 'test/counter.test.ts is a protected path' });
    expect(events.some((e) => e.type === 'candidate:verified')).toBe(false);
  });

  it('commits a correct plugged-in fix and stops green', async () => {
    const repo = makeVitestRepo(COUNTER);
    const good = scripted('manual', { 'src/counter.ts': 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n - 1;\n' });
    const loop = createLoop({ cwd: repo, providers: [good] });
    await collect(loop);
    const summary = await loop.result;
    expect(summary.status).toBe('green');
    expect(summary.commits.map((c) => c.message.split('\n')[0])).toEqual(['fix(counter): scripted edit of src/counter.ts']);
    expect(summary.totalsAfter).toEqual({ tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 });
  });

  it('verifies up to verify.concurrency candidates at once and commits the best: most fixed, then smallest diff', async () => {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], verify: { concurrency: 3 } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
    const variants: [string, string][] = [
      ['regresses', 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n;\n'],
      ['verbose', 'export const next = (n: number) => {\n  const one = 1;\n  return n + one;\n};\nexport const prev = (n: number) => n - 1;\n'],
      ['minimal', COUNTER_FIXED],
    ];
    const three: PatchProvider = {
      name: 'three',
      async *propose(problem, ctx) {
        const before = readFileSync(path.join(ctx.root, 'src/counter.ts'), 'utf8');
        for (const [id, after] of variants) {
          yield { id, problemId: problem.id, provider: 'three', title: `${id} fix of next`, rationale: 't', patch: { changes: [{ path: 'src/counter.ts', before, after }] } };
        }
      },
    };
    const loop = createLoop({ cwd: repo, providers: [three] });
    const events = await collect(loop);
    const types = events.map((e) => e.type);
    // All three were screened before the first verdict came back: they were verified together.
    expect(types.lastIndexOf('candidate:proposed')).toBeLessThan(types.indexOf('candidate:verified'));
    const verdicts = Object.fromEntries(events.flatMap((e) => (e.type === 'candidate:verified' ? [[e.candidateId, e.verdict]] : [])));
    expect(verdicts).toEqual({ regresses: 'regressed', verbose: 'fixed', minimal: 'fixed' });
    const summary = await loop.result;
    expect(summary.commits.map((c) => c.candidateId)).toEqual(['minimal']);
    const report = JSON.parse(readFileSync(summary.reports[1], 'utf8'));
    expect(report.attempts.map((a: { candidateId: string; outcome: string }) => [a.candidateId, a.outcome])).toEqual([
      ['regresses', 'not-accepted'],
      ['verbose', 'not-accepted'],
      ['minimal', 'committed'],
    ]);
  });

  it('rejects a candidate whose commit intent is not a Conventional Commit, before verifying it', async () => {
    const repo = makeVitestRepo(COUNTER);
    const base = scripted('manual', { 'src/counter.ts': COUNTER_FIXED });
    const sloppy: PatchProvider = {
      name: 'sloppy',
      async *propose(problem, ctx) {
        for await (const c of base.propose(problem, ctx)) yield { ...c, provider: 'sloppy', commit: { type: 'Fixed', subject: 'it works now' } };
      },
    };
    const events = await collect(createLoop({ cwd: repo, providers: [sloppy] }));
    expect(events.find((e) => e.type === 'candidate:rejected')).toMatchObject({
      reason: 'its commit intent is not a Conventional Commit: "fixed" is not a Conventional Commits type (fix, feat, refactor, perf, test, docs, build, ci, chore, style, revert)',
    });
    expect(events.some((e) => e.type === 'candidate:verified')).toBe(false);
  });

  it('reports a provider that throws and goes on with the next one', async () => {
    const repo = makeVitestRepo(COUNTER);
    const broken: PatchProvider = {
      name: 'broken',
      // eslint-disable-next-line require-yield
      async *propose(): AsyncIterable<Candidate> {
        throw new Error('model answer was not JSON');
      },
    };
    const good = scripted('manual', { 'src/counter.ts': 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n - 1;\n' });
    const loop = createLoop({ cwd: repo, providers: [broken, good] });
    const events = await collect(loop);
    expect(events.find((e) => e.type === 'provider:error')).toMatchObject({ provider: 'broken', message: 'model answer was not JSON' });
    expect((await loop.result).commits).toHaveLength(1);
  });

  it('stops with stop reason "budget" when budget.maxWallMinutes is spent, before repairing anything', async () => {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, budget: { maxWallMinutes: 0.001 } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
    const loop = createLoop({ cwd: repo, providers: [scripted('manual', { 'src/counter.ts': COUNTER_FIXED })] });
    const events = await collect(loop);
    expect(events.find((e) => e.type === 'budget:spent')).toMatchObject({ budget: 'maxWallMinutes', limit: 0.001 });
    expect(events.some((e) => e.type === 'candidate:proposed')).toBe(false);
    const summary = await loop.result;
    expect([summary.status, summary.stopReason]).toEqual(['failing', 'budget']);
  });

  it('ends at budget.maxWallMinutes even inside a step that hangs (a candidate whose test never ends), reporting as for an interruption', async () => {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, budget: { maxWallMinutes: 0.2 } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
    // Asleep for a minute without using the CPU: only the deadline can end its verification in time.
    const hangs = 'export const next = (n: number) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); return n + 1; };\nexport const prev = (n: number) => n - 1;\n';
    const loop = createLoop({ cwd: repo, providers: [scripted('manual', { 'src/counter.ts': hangs })] });
    const started = Date.now();
    const events = await collect(loop);
    const summary = await loop.result;
    expect(Date.now() - started).toBeLessThan(40_000);
    expect([summary.status, summary.stopReason, summary.commits]).toEqual(['failing', 'budget', []]);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['budget:spent', 'iteration:end', 'run:end']);
    expect(events.find((e) => e.type === 'budget:spent')).toMatchObject({ budget: 'maxWallMinutes', limit: 0.2 });
    expect(summary.reports.map((r) => path.basename(r))).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html']);
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
  });

  it('stops as nothing-fixable when no provider proposes anything', async () => {
    const repo = makeVitestRepo(COUNTER);
    const loop = createLoop({ cwd: repo, providers: [] });
    const events = await collect(loop);
    const summary = await loop.result;
    expect(summary.stopReason).toBe('nothing-fixable');
    expect(summary.status).toBe('failing');
    expect(summary.iterations).toBe(1);
    // A script reading --json learns which tests fail, not only how many.
    const found = events.find((e) => e.type === 'problem:found');
    const failing = {
      id: 'unit::test/counter.test.ts::next adds one',
      suite: 'unit',
      file: 'test/counter.test.ts',
      title: 'next adds one',
      message: 'AssertionError: expected 3 to be 2 // Object.is equality',
    };
    expect(found?.type === 'problem:found' && found.problem.failing).toEqual([failing]);
    const end = events.at(-1);
    expect(end?.type === 'run:end' && [end.failing, end.blocked]).toEqual([[{ ...failing, problemId: found?.type === 'problem:found' ? found.problem.id : '' }], []]);
    expect(summary.failing).toEqual(end?.type === 'run:end' ? end.failing : undefined);
  });
});

describe('createLoop with a flaky test', () => {
  // Counters outside the repository: the loop runs its suites in a checkout of its own.
  const countingTest = (passEvery: number, counters: string) =>
    [
      "import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';",
      "import { expect, it } from 'vitest';",
      // One line per process that loads the file: vitest's retries stay in the process.
      `appendFileSync('${counters}/loads', 'x');`,
      "it('sometimes fails', () => {",
      `  const n = existsSync('${counters}/runs') ? Number(readFileSync('${counters}/runs', 'utf8')) + 1 : 1;`,
      `  writeFileSync('${counters}/runs', String(n));`,
      `  expect(n % ${passEvery}).toBe(0);`,
      '});',
      '',
    ].join('\n');

  async function flakyLoop(passEvery: number) {
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 2 } });
    const counters = mkdtempSync(path.join(tmpdir(), 'fixloop-counters-'));
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy, 'test/flaky.test.ts': countingTest(passEvery, counters) });
    const seen: string[] = [];
    const spy: PatchProvider = {
      name: 'spy',
      async *propose(problem) {
        seen.push(...problem.testIds);
      },
    };
    const loop = createLoop({ cwd: repo, providers: [spy] });
    const events = await collect(loop);
    return { counters, seen, events, summary: await loop.result };
  }

  it('records the flaky test with its history, and never hands it to a provider', async () => {
    const { counters, seen, events, summary } = await flakyLoop(2);
    expect(events.find((e) => e.type === 'flaky:found')).toMatchObject({
      tests: [{ id: 'unit::test/flaky.test.ts::sometimes fails', history: ['failed', 'passed'] }],
    });
    expect(seen).toEqual(['unit::test/counter.test.ts::next adds one']);
    // The baseline run (the user's command, no retry) and one re-run by name, which passed it.
    expect(readFileSync(path.join(counters, 'runs'), 'utf8')).toBe('2');
    expect(readFileSync(path.join(counters, 'loads'), 'utf8')).toBe('xx');
    expect(summary.status).toBe('failing');
    const md = readFileSync(summary.reports[0], 'utf8');
    expect(md).toContain('| `unit::test/flaky.test.ts::sometimes fails` | failed → passed |');
  });

  it('re-runs it by name once, vitest retrying within that run (--retry), and a pass on the last attempt still makes the test flaky', async () => {
    const { counters, seen, events } = await flakyLoop(3);
    expect(events.find((e) => e.type === 'flaky:found')).toMatchObject({
      tests: [{ id: 'unit::test/flaky.test.ts::sometimes fails', history: ['failed', 'failed', 'passed'] }],
    });
    expect(seen).toEqual(['unit::test/counter.test.ts::next adds one']);
    expect(readFileSync(path.join(counters, 'runs'), 'utf8')).toBe('3');
    // Loaded twice: the baseline run, then one re-run by name that retried it within itself.
    expect(readFileSync(path.join(counters, 'loads'), 'utf8')).toBe('xx');
  });
});

describe('createLoop when a test fails by chance under a candidate', () => {
  it('runs it again, finds it flaky, and commits the fix it would otherwise have cost', async () => {
    const counters = mkdtempSync(path.join(tmpdir(), 'fixloop-counters-'));
    // Passes in the baseline (run 1), fails in the candidate's run (2), passes when run again (3).
    const sometimes = [
      "import { existsSync, readFileSync, writeFileSync } from 'node:fs';",
      "import { expect, it } from 'vitest';",
      "it('sometimes fails', () => {",
      `  const n = existsSync('${counters}/runs') ? Number(readFileSync('${counters}/runs', 'utf8')) + 1 : 1;`,
      `  writeFileSync('${counters}/runs', String(n));`,
      '  expect(n).not.toBe(2);',
      '});',
      '',
    ].join('\n');
    // The test counts its runs in a folder outside the repository, which a sandboxed verification
    // may not write (the sandbox is specified in test/adversarial): this spec is about flaky re-runs.
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 2 }, verify: { sandbox: 'off' } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy, 'test/sometimes.test.ts': sometimes });
    const loop = createLoop({ cwd: repo, providers: [scripted('fixer', { 'src/counter.ts': COUNTER_FIXED })], maxIterations: 1 });
    const events = await collect(loop);
    expect(events.filter((e) => e.type === 'candidate:verified').map((e) => e.type === 'candidate:verified' && [e.verdict, e.summary])).toEqual([
      ['fixed', 'fixed: 1 test now passes'],
    ]);
    expect(events.find((e) => e.type === 'flaky:found')).toMatchObject({ iteration: 1, tests: [{ id: 'unit::test/sometimes.test.ts::sometimes fails', history: ['failed', 'passed'] }] });
    expect(events.filter((e) => e.type === 'fix:committed')).toHaveLength(1);
    expect(readFileSync(path.join(counters, 'runs'), 'utf8')).toBe('3');
    const summary = await loop.result;
    const md = readFileSync(summary.reports[0], 'utf8');
    expect(md).toContain('| `unit::test/sometimes.test.ts::sometimes fails` | failed → passed |');
  });
});

describe('createLoop refuses to start', () => {
  it('on a dirty working tree, naming the files and leaving them byte for byte', async () => {
    const repo = makeVitestRepo(COUNTER);
    writeFileSync(path.join(repo, 'src/counter.ts'), 'work in progress\n');
    writeFileSync(path.join(repo, 'notes.txt'), 'mine\n');
    const loop = createLoop({ cwd: repo });
    await expect(loop.result).rejects.toThrow(LoopError);
    await expect(loop.result).rejects.toThrow(
      `Uncommitted changes in ${repo}: notes.txt, src/counter.ts. Commit or stash them first, or pass --worktree to test HEAD and leave them as they are.`,
    );
    expect(readFileSync(path.join(repo, 'src/counter.ts'), 'utf8')).toBe('work in progress\n');
    expect(readFileSync(path.join(repo, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(sh(repo, 'git', ['branch', '--list', 'fixloop/*'])).toBe('');
  });

  it('while another live loop holds the lock', async () => {
    const repo = makeVitestRepo(COUNTER);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(repo, '.fixloop'), { recursive: true });
    writeFileSync(path.join(repo, '.fixloop/lock'), JSON.stringify({ pid: process.pid, runId: 'other-run' }));
    const loop = createLoop({ cwd: repo });
    await expect(loop.result).rejects.toThrow(`Another fixloop run (other-run, pid ${process.pid}) is working on ${repo}.`);
    expect(readFileSync(path.join(repo, '.fixloop/lock'), 'utf8')).toContain('other-run');
  });

  it('takes over the lock of a dead process', async () => {
    const repo = makeVitestRepo(COUNTER);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(repo, '.fixloop'), { recursive: true });
    writeFileSync(path.join(repo, '.fixloop/lock'), JSON.stringify({ pid: 2 ** 22 + 17, runId: 'dead-run' }));
    const loop = createLoop({ cwd: repo, providers: [] });
    await collect(loop);
    expect((await loop.result).stopReason).toBe('nothing-fixable');
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
  });
});

describe('createLoop interrupted through its AbortSignal', () => {
  it('stops mid-verification, removes its worktrees, writes the report and ends with status interrupted', async () => {
    const repo = makeVitestRepo(COUNTER);
    const controller = new AbortController();
    const good = scripted('manual', { 'src/counter.ts': 'export const next = (n: number) => n + 1;\nexport const prev = (n: number) => n - 1;\n' });
    const loop = createLoop({ cwd: repo, providers: [good], signal: controller.signal });
    const types: string[] = [];
    for await (const e of loop.run()) {
      types.push(e.type);
      if (e.type === 'candidate:proposed') controller.abort();
    }
    const summary = await loop.result;
    expect(summary.status).toBe('interrupted');
    expect(summary.stopReason).toBe('interrupted');
    expect(summary.commits).toEqual([]);
    expect(types.slice(-3)).toEqual(['candidate:proposed', 'iteration:end', 'run:end']);
    expect(summary.reports.map((r) => path.basename(r))).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html']);
    expect(sh(repo, 'git', ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
    expect(existsSync(path.join(repo, '.fixloop/lock'))).toBe(false);
  });
});
