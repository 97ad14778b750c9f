// The totals a test runner prints at the end of its own output, read from the text a person sees,
// independently of fixloop's parsers, so the bench can tell whether fixloop counted the same tests.
// A test script that runs the runner several times (workspaces, two configs) prints several
// summaries: they are added up.

export type Runner = 'vitest' | 'jest' | 'mocha' | 'node:test' | 'pytest';

export interface RunnerTotals {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** The summary lines the numbers come from, as printed. */
  lines: string[];
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function count(parts: string, word: RegExp): number {
  let total = 0;
  for (const m of parts.matchAll(new RegExp(`(\\d+) (?:${word.source})\\b`, 'g'))) total += Number(m[1]);
  return total;
}

function add(into: RunnerTotals, line: string, passed: number, failed: number, skipped: number, tests = passed + failed + skipped): void {
  into.passed += passed;
  into.failed += failed;
  into.skipped += skipped;
  into.tests += tests;
  into.lines.push(line.trim());
}

/** vitest 1-4: "      Tests  1 failed | 11 passed | 2 skipped (14)" (turbo may put "pkg:test: " in front). */
function vitest(text: string, into: RunnerTotals): void {
  for (const m of text.matchAll(/^.*?\bTests {2}(.+?) \((\d+)\)\s*$/gm)) {
    add(into, m[0], count(m[1], /passed/), count(m[1], /failed/), count(m[1], /skipped|todo/), Number(m[2]));
  }
}

/** jest: "Tests:       1 failed, 2 skipped, 10 passed, 13 total". */
function jest(text: string, into: RunnerTotals): void {
  for (const m of text.matchAll(/^.*?\bTests: +(.+?), (\d+) total\s*$/gm)) {
    add(into, m[0], count(m[1], /passed/), count(m[1], /failed/), count(m[1], /skipped|todo/), Number(m[2]));
  }
}

/** mocha (spec, dot, list reporters): "  12 passing (34ms)" then optional "  2 pending" and "  1 failing". */
function mocha(text: string, into: RunnerTotals): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const passing = /^\s*(\d+) passing \(/.exec(line);
    if (!passing) return;
    let pending = 0;
    let failing = 0;
    const block = [line.trim()];
    for (const next of lines.slice(i + 1, i + 4)) {
      const p = /^\s*(\d+) pending\s*$/.exec(next);
      const f = /^\s*(\d+) failing\s*$/.exec(next);
      if (p) pending = Number(p[1]);
      else if (f) failing = Number(f[1]);
      else continue;
      block.push(next.trim());
    }
    add(into, block.join(' / '), Number(passing[1]), failing, pending);
  });
}

/** node:test, tap reporter ("# tests 12") when not on a terminal, spec reporter ("ℹ tests 12") on one. */
function nodeTest(text: string, into: RunnerTotals): void {
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const tests = /^(?:#|ℹ) tests (\d+)\s*$/.exec(line);
    if (!tests) return;
    const block = lines.slice(i, i + 9);
    const field = (name: string) => Number(block.map((l) => new RegExp(`^(?:#|ℹ) ${name} (\\d+)\\s*$`).exec(l)?.[1]).find(Boolean) ?? 0);
    const summary = block.filter((l) => /^(?:#|ℹ) (tests|pass|fail|skipped|todo|cancelled) \d+/.test(l)).join(' / ');
    add(into, summary, field('pass'), field('fail') + field('cancelled'), field('skipped') + field('todo'), Number(tests[1]));
  });
}

/** pytest: "===== 1 failed, 10 passed, 2 skipped, 3 warnings in 0.12s =====" (or without the rules under -q). */
function pytest(text: string, into: RunnerTotals): void {
  for (const m of text.matchAll(/^=*\s*((?:\d+ (?:passed|failed|skipped|xfailed|xpassed|errors?|warnings?|deselected|rerun)(?:, )?)+) in [\d.]+s\b.*$/gm)) {
    add(into, m[0], count(m[1], /passed|xpassed/), count(m[1], /failed|errors?/), count(m[1], /skipped|xfailed/));
  }
}

const READERS: Record<Runner, (text: string, into: RunnerTotals) => void> = { vitest, jest, mocha, 'node:test': nodeTest, pytest };

/** The runner's own totals in a run's output, or undefined when it printed no summary (it did not get that far). */
export function readSummary(runner: Runner, output: string): RunnerTotals | undefined {
  const totals: RunnerTotals = { tests: 0, passed: 0, failed: 0, skipped: 0, lines: [] };
  READERS[runner](output.replace(ANSI, '').replace(/\r/g, ''), totals);
  return totals.lines.length ? totals : undefined;
}
