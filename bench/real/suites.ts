// "fixloop's totals equal the runner's own (run the same command yourself)", suite by suite: each
// suite of the policy init wrote is run as a person would run it (its setup, then its command, in
// its directory, with the entry's environment), the runner's own summary is read with the suite's
// format, and compared with the totals fixloop reported for that suite. The sum of these plain
// runs is also the time one plain run of the same suites takes, which the loop time is divided by.
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Totals } from './loop.js';
import { checkoutOf, envOf, exec, type Entry } from './setup.js';
import { readSummary, type Runner, type RunnerTotals } from './summary.js';

export interface PolicySuite {
  name: string;
  command: string;
  format?: string;
  cwd?: string;
  setup?: string[];
  timeoutSec?: number;
}

export interface PlainSuiteRun {
  exitCode: number | null;
  ms: number;
  timedOut: boolean;
  totals?: RunnerTotals;
  tail?: string;
  /** The 1-minute load when the run started (2 shared cores: times are noisy). */
  load1?: number;
}

export interface SuiteCheck {
  suite: string;
  command: string;
  /** The policy's format; "auto" is read as the entry's runner. */
  format: string;
  plain: PlainSuiteRun;
  /** fixloop's totals for this suite in the clean run's first iteration (none: the suite reported nothing). */
  fixloop?: Totals;
  /** Undefined when the runner's output cannot be compared (no summary printed, junit, an SDK format). */
  equal?: boolean;
  /** Why not equal, or why not compared, in a line. */
  why?: string;
}

export function policySuites(policy: unknown): PolicySuite[] {
  return (policy as { suites?: PolicySuite[] } | undefined)?.suites ?? [];
}

/** The summary reader for a suite's format, "exit-code" for suites the runner counts no tests in, undefined when there is none. */
export function readerOf(format: string | undefined, entryRunner: Runner): Runner | 'exit-code' | undefined {
  const f = format ?? 'auto';
  if (f === 'auto') return entryRunner;
  if (f === 'exit-code') return 'exit-code';
  if (f === 'node-test') return 'node:test';
  return (['vitest', 'jest', 'mocha', 'pytest'] as const).find((r) => r === f);
}

function tail(text: string, lines = 25): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim().split('\n').slice(-lines).join('\n');
}

/** One plain run of each suite, one after another, as fixloop's first iteration runs them. */
export async function plainSuiteRuns(entry: Entry, policy: unknown): Promise<{ suite: PolicySuite; plain: PlainSuiteRun }[]> {
  const out: { suite: PolicySuite; plain: PlainSuiteRun }[] = [];
  for (const suite of policySuites(policy)) {
    // fixloop runs the setup commands before the suite, in its directory: the same work, timed with it.
    const command = [...(suite.setup ?? []), suite.command].map((c) => `(${c})`).join(' && ');
    const load1 = loadavg()[0];
    const r = await exec(command, { cwd: path.join(checkoutOf(entry), suite.cwd ?? '.'), env: envOf(entry), timeoutMs: (suite.timeoutSec ?? 600) * 1000 });
    const reader = readerOf(suite.format, entry.runner);
    const totals = reader && reader !== 'exit-code' ? readSummary(reader, r.out) : undefined;
    const shown = reader === 'exit-code' ? r.code === 0 : r.code === 0 && totals !== undefined;
    out.push({ suite, plain: { exitCode: r.code, ms: r.ms, timedOut: r.timedOut, totals, tail: shown ? undefined : tail(r.out), load1 } });
  }
  return out;
}

const fmt = (t: Totals | RunnerTotals) => `${t.tests} (${t.passed}✓ ${t.failed}✗ ${t.skipped}↷)`;

/**
 * One suite's verdict. A suite judged by exit code is one test to fixloop and none to the runner:
 * it is equal when both say the same about passing (exit 0 ⇔ no failure in fixloop's count).
 */
export function checkSuite(suite: PolicySuite, entryRunner: Runner, plain: PlainSuiteRun, fixloop: Totals | undefined): SuiteCheck {
  const base = { suite: suite.name, command: suite.command, format: suite.format ?? 'auto', plain, fixloop };
  const reader = readerOf(suite.format, entryRunner);
  if (!fixloop) return { ...base, equal: false, why: 'fixloop reported no totals for this suite' };
  if (reader === 'exit-code') {
    const fixloopPassed = fixloop.failed === 0 && !fixloop.loadErrors && fixloop.passed > 0;
    const equal = fixloopPassed === (plain.exitCode === 0);
    return { ...base, equal, why: equal ? undefined : `exit ${plain.exitCode}, fixloop ${fmt(fixloop)}` };
  }
  if (!reader) return { ...base, why: `format "${suite.format}" has no summary reader in bench/real/summary.ts` };
  if (!plain.totals) return { ...base, why: `the runner printed no summary (exit ${plain.exitCode}${plain.timedOut ? ', timed out' : ''})` };
  const t = plain.totals;
  const equal = fixloop.tests === t.tests && fixloop.passed === t.passed && fixloop.failed === t.failed && fixloop.skipped === t.skipped;
  return { ...base, equal, why: equal ? undefined : `fixloop ${fmt(fixloop)} vs runner ${fmt(t)}` };
}

/** Every policy suite's plain run checked against fixloop's first-iteration totals for it. */
export function checkSuites(entryRunner: Runner, runs: { suite: PolicySuite; plain: PlainSuiteRun }[], fixloopSuites: { suite: string; totals: Totals }[] | undefined): SuiteCheck[] {
  return runs.map(({ suite, plain }) => checkSuite(suite, entryRunner, plain, fixloopSuites?.find((x) => x.suite === suite.name)?.totals));
}

/** All suites equal: true; any not equal (or not comparable): false; no suite: undefined. */
export function allEqual(checks: SuiteCheck[]): boolean | undefined {
  return checks.length ? checks.every((c) => c.equal === true) : undefined;
}

/** The time of one plain run of the same suites fixloop runs (the loop-time ratio's denominator). */
export function plainSuitesMs(checks: SuiteCheck[]): number | undefined {
  return checks.length ? checks.reduce((sum, c) => sum + c.plain.ms, 0) : undefined;
}
