// real.md rows: records with per-suite checks show each suite's verdict and divide the loop time by
// the plain suites; older records (no suiteChecks) render as they did, marked †.
import { describe, expect, it } from 'vitest';
import type { FaultResult, LoopRun } from '../bench/real/loop.js';
import { renderReport, type Stored } from '../bench/real/report.js';
import type { Entry } from '../bench/real/setup.js';
import type { SuiteCheck } from '../bench/real/suites.js';

const entry = { name: 'fastify-plugin', repo: 'fastify/fastify-plugin', commit: 'f06b46c4f882dac70e63ebd75bd23cb015ed67ba', pinned: 'HEAD', runner: 'node:test', runnerMajor: 20, manager: 'npm' } as Entry;
const t = (tests: number, passed: number, failed: number, skipped: number) => ({ tests, passed, failed, skipped, loadErrors: 0 });
const loop = (ms: number): LoopRun => ({ exitCode: 0, timedOut: false, ms, status: 'green', blockers: [], commits: [], suites: [{ suite: 'typescript', totals: t(1, 1, 0, 0) }, { suite: 'test', totals: t(43, 43, 0, 0) }], totals: t(44, 44, 0, 0) });
const fault = (ms: number) => ({ kind: 'syntax', file: 'index.js', description: 'x', outcome: 'fixed', loop: loop(ms) }) as FaultResult;
const base = { entry, setup: { ok: true, runnerVersion: '20.20.2' }, at: '2026-11-26T14:09:12.543Z', load: [16.62, 13.64], cores: 2 };
const init = { exitCode: 0, wrote: true, message: '', policy: { suites: [{ name: 'typescript', command: 'npm run test:typescript', format: 'exit-code' }, { name: 'test', command: 'npm run test:unit', format: 'node-test' }] } };

const check = (suite: string, format: string, ms: number, equal: boolean | undefined, why?: string): SuiteCheck => ({ suite, command: `npm run ${suite}`, format, plain: { exitCode: 0, ms, timedOut: false }, equal, why });

const rowOf = (md: string) => md.split('\n').find((l) => l.startsWith('| fastify-plugin |'));

describe('renderReport', () => {
  it('renders an older record as before, marked †, ratios divided by the test command', () => {
    const old: Stored = { ...base, fixloop: '14cacc8', plain: { exitCode: 0, ms: 50_000, timedOut: false, totals: { ...t(43, 43, 0, 0), lines: ['# tests 43'] } }, init, clean: { ...loop(100_000), totalsEqual: false }, faults: [fault(150_000)] };
    expect(rowOf(renderReport([entry], { 'fastify-plugin': old }))).toBe(
      '| fastify-plugin | node:test 20.20.2 | npm | exit 0, 50.0 s | – | yes | yes | no: 44 (44✓ 0✗ 0↷) vs 43 (43✓ 0✗ 0↷) † | green | 1/0/0 | 2.0×† | 3.0×† | 14cacc8 (src) | 16.6–13.6 |',
    );
  });

  it('shows per-suite verdicts, the plain suites time, and kept faults with the fixloop that measured them', () => {
    const current: Stored = {
      ...base,
      fixloop: '1dfe8fa',
      fixloopFrom: 'dist',
      plain: { exitCode: 0, ms: 50_000, timedOut: false },
      init,
      clean: { ...loop(60_000), totalsEqual: false },
      suiteChecks: [check('typescript', 'exit-code', 10_000, true), check('test', 'node-test', 30_000, false, 'fixloop 43 (43✓ 0✗ 0↷) vs runner 42 (42✓ 0✗ 0↷)')],
      faults: [fault(150_000)],
      faultsMeasured: { fixloop: '14cacc8', at: '2026-11-26T14:09:12.543Z', plainMs: 50_000, plainOf: 'test command' },
    };
    const md = renderReport([entry], { 'fastify-plugin': current });
    expect(rowOf(md)).toBe(
      '| fastify-plugin | node:test 20.20.2 | npm | exit 0, 50.0 s | 40.0 s | yes | yes | no (2 suites, 1 by exit code): test: fixloop 43 (43✓ 0✗ 0↷) vs runner 42 (42✓ 0✗ 0↷) | green | 1/0/0 | 1.5× | 3.0×† | 1dfe8fa; faults 14cacc8 (2026-11-26 14:09) | 16.6–13.6 |',
    );
    expect(md).toContain('- fixloop totals equal to the runner\'s own: 0/1\n');
    const equal = renderReport([entry], { 'fastify-plugin': { ...current, clean: { ...current.clean!, totalsEqual: true }, suiteChecks: [check('typescript', 'exit-code', 10_000, true), check('test', 'node-test', 30_000, true)] } });
    expect(rowOf(equal)).toContain('| yes (2 suites, 1 by exit code) |');
    expect(equal).toContain('- fixloop totals equal to the runner\'s own: 1/1\n');
  });
});
