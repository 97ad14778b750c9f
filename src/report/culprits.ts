// The culprits section of the iteration report and the run summary: which commit made each
// problem's tests fail, what it changed on the failing path, and whether it was reverted.
import type { CommitRecord, CulpritSearch, IterationRecord, Problem } from '../model.js';
import { stripControl } from '../safe-text.js';
import { code, codeList, fence, plural, shortSha, subject } from './markdown.js';

export interface CulpritRow {
  search: CulpritSearch;
  problem?: Problem;
  /** The revert committed for it, when one was. */
  revert?: CommitRecord;
  /** Why revert candidates were not kept, when they were tried and none landed. */
  revertTried?: string;
}

/** The searches of these iterations, the latest per problem, with what became of each. */
export function culpritRows(records: IterationRecord[]): CulpritRow[] {
  const rows = new Map<string, CulpritRow>();
  for (const rec of records) {
    for (const search of rec.culprits ?? []) {
      const problem = rec.problems.find((p) => p.id === search.problemId);
      rows.set(search.problemId, { ...rows.get(search.problemId), search, problem });
    }
    for (const c of rec.commits.filter((c) => c.provider === 'revert')) {
      const row = rows.get(c.problemId);
      if (row) row.revert = c;
    }
    for (const a of rec.attempts.filter((a) => a.provider === 'revert' && a.outcome !== 'committed')) {
      const row = rows.get(a.problemId);
      if (row && !row.revert) row.revertTried = a.reason ?? a.outcome;
    }
  }
  return [...rows.values()];
}

/** One line naming the culprit (or why there is none). */
export function culpritLine(search: CulpritSearch): string {
  const runs = `${plural(search.runs, 'test run')}${search.probes.some((p) => p.from === 'earlier-run') ? ' and the loop\'s earlier runs' : ''}`;
  const c = search.culprit;
  if (!c) return `No culprit: ${search.reason ?? 'not found'} (${runs}).`;
  const where = c.onPath.length ? `on the failing path it changed ${codeList(c.onPath)}` : `none of its ${plural(c.files.length, 'file')} is on the failing path`;
  return `Culprit: ${c.sha.slice(0, 8)} "${c.subject}" by ${c.author}, ${c.date.slice(0, 10)}${c.merge ? ' (a merge commit)' : ''}; the tests passed at its parent ${code(shortSha(c.lastGood))}; ${where}. Found with ${runs}.`;
}

function outcomeLine(row: CulpritRow): string | undefined {
  const c = row.search.culprit;
  if (!c) return undefined;
  if (row.revert) return `Reverted by ${code(shortSha(row.revert.sha))} (${subject(row.revert.message)}): a revert, not a fix; what ${code(shortSha(c.sha))} meant to do needs doing again without breaking these tests.`;
  if (row.revertTried) return `A revert was tried and not kept: ${row.revertTried}.`;
  if (c.merge) return 'A merge commit is never reverted by fixloop: look at what it brought in.';
  return `Next step: read the change (${code(`git show ${c.sha.slice(0, 8)}`)}) and fix it, or revert it (${code(`git revert ${c.sha.slice(0, 8)}`)}).`;
}

export function culpritsMarkdown(rows: CulpritRow[]): string {
  if (rows.length === 0) return 'No culprit search was made: every problem was fixed without one, the history has no earlier commit, or `culprit.enabled` is off.';
  return rows
    .map((row) => {
      const c = row.search.culprit;
      const lines = [`### ${row.problem?.title ?? row.search.problemId}`, '', culpritLine(row.search)];
      const outcome = outcomeLine(row);
      if (outcome) lines.push('', outcome);
      if (c?.diff) lines.push('', fence(c.diff, 'diff'));
      return lines.join('\n');
    })
    .join('\n\n');
}

function esc(text: string): string {
  return stripControl(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The summary.html section: a table, each culprit's diff folded under it. */
export function culpritsHtml(rows: CulpritRow[]): string {
  if (rows.length === 0) return '<p>No culprit search was made.</p>';
  const body = rows
    .map((row) => {
      const c = row.search.culprit;
      const plainLine = (text: string) => esc(text.replace(/`([^`]*)`/g, '$1'));
      const outcome = outcomeLine(row);
      return `<tr><td>${esc(row.problem?.title ?? row.search.problemId)}</td><td>${c ? `<code>${esc(c.sha.slice(0, 8))}</code>` : 'none'}</td><td>${plainLine(culpritLine(row.search))}${outcome ? `<br>${plainLine(outcome)}` : ''}</td></tr>` +
        (c?.diff ? `<tr class="diff"><td colspan="3"><details><summary>diff of ${esc(c.sha.slice(0, 8))} on the failing path</summary><pre>${esc(c.diff)}</pre></details></td></tr>` : '');
    })
    .join('');
  return `<table><thead><tr><th>Problem</th><th>Culprit</th><th>What it is</th></tr></thead><tbody>${body}</tbody></table>`;
}
