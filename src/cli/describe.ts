// One human line per loop event, for stderr: what `fixloop run` prints while it works.
import type { LoopEvent } from '../model.js';
import { formatTotals } from '../test-run.js';
import { coloursFor, type Colours } from './colour.js';

const plain = coloursFor({ isTTY: false }, { NO_COLOR: '1' });

/** One human line per event, for stderr. */
export function describe(e: LoopEvent, c: Colours = plain): string | undefined {
  switch (e.type) {
    case 'run:start':
      return [
        `fixloop run ${e.runId} on branch ${e.branch} (policy: ${e.policySource})`,
        ...(e.cleaned.worktrees.length || e.cleaned.branches.length
          ? [`  removed what a stopped run left: ${[...e.cleaned.worktrees.map((w) => `worktree ${w}`), ...e.cleaned.branches.map((b) => `empty branch ${b}`)].join(', ')}`]
          : []),
        ...(e.uncommitted.length ? [`  testing HEAD; ${e.uncommitted.length} file${e.uncommitted.length === 1 ? '' : 's'} with uncommitted changes left as they are`] : []),
      ].join('\n');
    case 'run:resume':
      return [
        `fixloop resumes run ${e.runId} on ${e.branch} at iteration ${e.iteration} (${e.commits} fix${e.commits === 1 ? '' : 'es'} already committed)`,
        ...(e.recovered ?? []).map((r) => `  found on the branch, not yet in the journal (the process stopped while committing it): ${r.sha.slice(0, 7)} ${r.message.split('\n')[0]}`),
        ...(e.cleaned.worktrees.length ? [`  removed what the stopped process left: ${e.cleaned.worktrees.map((w) => `worktree ${w}`).join(', ')}`] : []),
      ].join('\n');
    case 'iteration:start':
      return `iteration ${e.iteration}`;
    case 'suite:end':
      return e.blocker
        ? `  suite ${e.suite}: ${c.red('not run')} — ${e.blocker.message}${indentTail(e.blocker.outputTail)}`
        : `  suite ${e.suite}: ${(e.totals.failed || e.totals.loadErrors ? c.red : c.green)(formatTotals(e.totals))} (${(e.durationMs / 1000).toFixed(1)}s)`;
    case 'discovery:end':
      return e.suites.map((d) => `  discovery: ${d.suite} would run ${d.count ?? '?'} tests${d.reason ? ` (${d.reason})` : ''}`).join('\n');
    case 'llm:usage':
      return `    llm: ${e.inputTokens + e.cacheReadTokens + e.cacheWriteTokens} prompt / ${e.outputTokens} answer tokens ($${e.costUSD.toFixed(4)})`;
    case 'llm:notice':
      return `    llm ${e.kind}: ${e.message}`;
    case 'flaky:found':
      return e.tests.map((t) => `  ${c.yellow('flaky')}, not repaired: ${t.id} (${t.history.join(' → ')})`).join('\n');
    case 'problem:found':
      return `  problem [${c.magenta(e.problem.kind)}] ${e.problem.title}${named(e.problem.failing ?? [], e.problem.tests)}`;
    case 'problem:culprit':
      return e.culprit
        ? `    culprit ${c.yellow(e.culprit.sha.slice(0, 8))} "${e.culprit.subject}" (${e.culprit.author}, ${e.culprit.date.slice(0, 10)})${e.culprit.onPath.length ? `, changed ${e.culprit.onPath.join(', ')}` : ''}; ${e.runs} test run${e.runs === 1 ? '' : 's'} to find it`
        : `    no culprit: ${e.reason}`;
    case 'candidate:proposed':
      return `    candidate ${e.candidateId} (${e.provider}): ${e.title}`;
    case 'candidate:rejected':
      return `    ${c.yellow('rejected')}: ${e.reason}`;
    case 'candidate:verified':
      return `    ${c.cyan('verified')} — ${e.summary}`;
    case 'candidate:decision':
      return `    decision: ${e.decision}`;
    case 'fix:committed':
      return `    ${c.green('committed')} ${e.sha.slice(0, 7)} ${e.message.split('\n')[0]}`;
    case 'commit:failed':
      return `    ${c.red('commit refused')}, patch undone: ${e.reason}`;
    case 'branch:updated':
      return e.message;
    case 'push:end':
      return e.ok ? e.message : `push of ${e.branch} to ${e.remote} failed: ${e.message}`;
    case 'provider:error':
      return `    provider ${e.provider} failed: ${e.message}`;
    case 'iteration:end':
      return `iteration ${e.iteration} done: ${formatTotals(e.totals)}; ${e.commits} commit${e.commits === 1 ? '' : 's'}`;
    case 'deploy:end':
      return e.steps.map((d) => `  deploy ${d.name}: ${d.status}${d.status === 'ok' ? '' : ` (exit ${d.exitCode ?? 'none'})${indentTail(d.outputTail, 8)}`}`).join('\n');
    case 'budget:spent':
      return `budget spent: ${e.budget} = ${e.limit}`;
    case 'run:end':
      return [
        `run ended: ${(e.status === 'green' ? c.green : c.red)(e.status)} (${e.stopReason}); ${formatTotals(e.totalsBefore)} → ${formatTotals(e.totalsAfter)}`,
        ...(e.error ? [`error: ${e.error}`] : []),
        ...(e.llm ? [`model: ${e.llm.requests} requests, $${e.llm.costUSD.toFixed(2)}`] : []),
        ...(e.failing?.length ? [`still failing:${e.failing.slice(0, SHOWN).map((f) => `\n  ${f.id.endsWith('::<load>') ? f.title : `${f.file} > ${f.title}`}: ${f.message}`).join('')}${e.failing.length > SHOWN ? `\n  … ${e.failing.length - SHOWN} more in the reports` : ''}`] : []),
        ...(e.blocked ?? []).map((b) => `blocked: suite ${b.suite} (${b.reason}): ${b.message}`),
        e.commits.length ? `${e.commits.length} commit${e.commits.length === 1 ? '' : 's'} on ${e.branch}` : 'no commits',
        `reports: ${e.reportDir}`,
      ].join('\n');
    default:
      return undefined;
  }
}

/** How many failing tests a line of progress names before it says how many more. */
const SHOWN = 5;

/** " — 3 tests: a, b, c" for a problem's failing tests (files by what failed in them). */
function named(failing: { id: string; title: string }[], tests: number): string {
  if (failing.length === 0) return '';
  const shown = failing.slice(0, 3).map((f) => f.title).join(', ');
  const more = failing.length > 3 ? `, … ${failing.length - 3} more` : '';
  return ` — ${tests || failing.length} failing: ${shown}${more}`;
}

function indentTail(tail: string, lines = 15): string {
  const kept = tail.trimEnd().split('\n').slice(-lines).filter((l) => l.trim() !== '');
  return kept.length ? `\n${kept.map((l) => `    | ${l}`).join('\n')}` : '';
}
