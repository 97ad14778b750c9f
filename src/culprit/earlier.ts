// The cheapest answer first: what the loop's own earlier runs (.fixloop/runs/*/, their iteration
// reports) saw of a problem's tests, by commit. A report lists failing, skipped and unloaded tests;
// a test it does not list in a suite that ran passed, or did not exist yet (the file tells which).
import { existsSync, readFileSync } from 'node:fs';
import { listRuns, readJournal } from '../loop/journal.js';
import { existingAt } from './history.js';
import type { ProbeTarget } from './probe.js';
import type { Outcome } from './search.js';

interface SuiteState {
  status: string;
  failing: string[];
  loadFailed: string[];
  skipped: string[];
}

interface ReportShape {
  baseSha?: string;
  suites?: (SuiteState & { suite: string; before: SuiteState | null })[];
  fixes?: { sha: string }[];
}

/** The suites' state at one commit, as one earlier run saw it. */
interface Seen {
  sha: string;
  suites: Map<string, SuiteState>;
}

function reportsOf(root: string): ReportShape[] {
  const out: ReportShape[] = [];
  for (const runId of listRuns(root)) {
    for (const event of readJournal(root, runId)) {
      if (event.type !== 'iteration:end') continue;
      for (const file of event.reports.filter((r) => r.endsWith('.json') && existsSync(r))) {
        try {
          out.push(JSON.parse(readFileSync(file, 'utf8')) as ReportShape);
        } catch {
          // A report cut short by a crash tells nothing.
        }
      }
    }
  }
  return out;
}

/** Each report's `before` (its base commit) and `after` (its last fix, or the base when it made none). */
function seenStates(root: string): Seen[] {
  const seen: Seen[] = [];
  for (const r of reportsOf(root)) {
    if (!r.baseSha || !r.suites) continue;
    const before = new Map(r.suites.flatMap((s) => (s.before ? [[s.suite, s.before] as const] : [])));
    seen.push({ sha: r.baseSha, suites: before });
    const last = r.fixes?.at(-1)?.sha;
    seen.push({ sha: last ?? r.baseSha, suites: new Map(r.suites.map((s) => [s.suite, s])) });
  }
  return seen;
}

function outcomeIn(state: Seen, target: ProbeTarget): Outcome | 'pass-or-absent' {
  let clean = false;
  const items: { suite: string; file: string; id?: string }[] = [...target.tests, ...target.loadFailed];
  for (const t of items) {
    const s = state.suites.get(t.suite);
    if (!s || s.status.startsWith('blocked') || s.status === 'no tests executed') return 'unknown';
    if (s.loadFailed.includes(t.file) || (t.id !== undefined && s.failing.includes(t.id))) return 'fail';
    if (t.id !== undefined && s.skipped.includes(t.id)) continue;
    clean = true;
  }
  return clean ? 'pass-or-absent' : 'unknown';
}

/**
 * Outcomes of the target's tests at the commits of `commits` that earlier runs tested. A commit
 * seen twice with different outcomes (a flaky test) is left to the search.
 */
export async function earlierOutcomes(root: string, commits: string[], target: ProbeTarget): Promise<Map<string, Outcome>> {
  const wanted = new Set(commits);
  const found = new Map<string, Outcome>();
  const files = [...new Set([...target.tests.map((t) => t.file), ...target.loadFailed.map((l) => l.file)])];
  for (const state of seenStates(root)) {
    if (!wanted.has(state.sha)) continue;
    const seen = outcomeIn(state, target);
    if (seen === 'unknown') continue;
    const outcome = seen === 'fail' ? 'fail' : (await existingAt(root, state.sha, files)).size > 0 ? 'pass' : 'absent';
    const before = found.get(state.sha);
    found.set(state.sha, before && before !== outcome ? 'unknown' : outcome);
  }
  for (const [sha, o] of found) if (o === 'unknown') found.delete(sha);
  return found;
}
