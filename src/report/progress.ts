// Sections 6 and 7 of an iteration report: tests per category, and progress toward the expected
// number of tests. Counted from the recorded run only.
import picomatch from 'picomatch';
import type { IterationRecord, TestRun } from '../model.js';
import type { IterationReport } from './iteration-schema.js';
import { code, plural, table } from './markdown.js';

export interface CategoryRow {
  category: string;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Test files of the category that failed to load (their tests are not counted). */
  loadErrors: number;
  /** passed / (passed + failed), or null when no test of the category executed. */
  passRate: number | null;
}

const UNCATEGORIZED = '(no category)';

/** One row per configured category, in policy order, plus one for files no glob matches (when there are any). */
export function categoryRows(run: TestRun, categories: Record<string, string[]>): CategoryRow[] {
  const matchers = Object.entries(categories).map(([name, globs]) => [name, picomatch(globs, { dot: true })] as const);
  const of = (file: string) => matchers.find(([, match]) => match(file))?.[0] ?? UNCATEGORIZED;
  const rows = new Map<string, CategoryRow>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { category: name, tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0, passRate: null }));
    return r;
  };
  for (const [name] of matchers) row(name);
  for (const suite of run.suites) {
    for (const t of suite.tests) {
      const r = row(of(t.file));
      r.tests++;
      if (t.status === 'passed') r.passed++;
      else if (t.status === 'failed') r.failed++;
      else r.skipped++;
    }
    for (const lf of suite.loadFailures) row(of(lf.file)).loadErrors++;
  }
  for (const r of rows.values()) r.passRate = r.passed + r.failed > 0 ? r.passed / (r.passed + r.failed) : null;
  return [...rows.values()];
}

function percent(rate: number | null): string {
  return rate === null ? 'not run' : `${Math.floor(rate * 1000) / 10}%`;
}

export function categorySection(rec: IterationRecord): string {
  if (!rec.categories || Object.keys(rec.categories).length === 0) {
    return 'No categories are configured (policy `categories`: name → globs of test files); the per-suite totals are under Test execution.';
  }
  const rows = categoryRows(rec.after, rec.categories);
  return table(
    ['Category', 'Tests', 'Passed', 'Failed', 'Skipped', 'Files failed to load', 'Pass rate'],
    rows.map((r) => [r.category, String(r.tests), String(r.passed), String(r.failed), String(r.skipped), String(r.loadErrors), percent(r.passRate)]),
  );
}

export interface GoalProgress {
  expected: number;
  executed: number;
  passed: number;
  /** Expected tests that did not execute in this run (never negative). */
  notLocated: number;
}

export function goalProgress(rec: IterationRecord): GoalProgress | null {
  if (rec.expectedTests === undefined) return null;
  const t = rec.after.totals;
  const executed = t.passed + t.failed;
  return { expected: rec.expectedTests, executed, passed: t.passed, notLocated: Math.max(0, rec.expectedTests - executed) };
}

export function goalSection(rec: IterationRecord): string {
  const g = goalProgress(rec);
  if (!g) return 'No goal is set (policy `goal.expectedTests`).';
  const lines = [
    `- **Executed:** ${g.executed} of ${g.expected} expected tests (${percent(g.executed / g.expected)}).`,
    `- **Passed:** ${g.passed} of ${g.expected} expected tests (${percent(g.passed / g.expected)}); pass rate of the executed ones ${percent(g.executed ? g.passed / g.executed : null)}.`,
    `- **Not yet located:** ${plural(g.notLocated, 'expected test')} did not execute${rec.after.totals.loadErrors ? ` (${plural(rec.after.totals.loadErrors, 'test file')} failed to load)` : ''}.`,
  ];
  if (rec.discovery?.length) {
    lines.push('', table(['Suite', 'Tests it would run (counted without running)'], rec.discovery.map((d) => [d.suite, d.count === undefined ? `could not count: ${d.reason}` : `${d.count}${d.reason ? ` (${d.reason})` : ''}`])));
  }
  return lines.join('\n');
}

/** The same facts for iteration-N.json. */
export function progressJson(rec: IterationRecord): Pick<IterationReport, 'categories' | 'goal' | 'discovery'> {
  return {
    categories: rec.categories ? categoryRows(rec.after, rec.categories) : null,
    goal: goalProgress(rec),
    discovery: rec.discovery ?? null,
  };
}
