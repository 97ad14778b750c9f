// The run summary's account of what is left: the tests that still fail, the suites that could not
// run and why, and the open problems with their next step, in summary.md (which `fixloop report`
// prints) and summary.html.
import path from 'node:path';
import type { BlockedSuite, FailingTest } from '../model.js';
import { stripControl } from '../safe-text.js';
import { blockedOf, failingOf } from './failing.js';
import { cell, clip, code, table } from './markdown.js';
import { openProblems, type OpenProblem } from './open.js';
import type { SummaryInput } from './summary.js';

const ROWS = 100;

interface Left {
  failing: FailingTest[];
  blocked: BlockedSuite[];
  open: OpenProblem[];
  /** The iteration whose report has the open problems in full. */
  iteration?: number;
}

function leftOf(input: SummaryInput): Left {
  const last = input.iterations.at(-1);
  if (!last) return { failing: input.summary.failing ?? [], blocked: input.summary.blocked ?? [], open: [] };
  return {
    failing: input.summary.failing ?? failingOf(last.after, last.problems),
    blocked: input.summary.blocked ?? blockedOf(last.after),
    open: openProblems(last, input.iterations),
    iteration: last.iteration,
  };
}

/** A log's path as a link target from the report directory, when both are known. */
function logHref(reportDir: string, logFile: string): string {
  return path.isAbsolute(reportDir) && path.isAbsolute(logFile) ? path.relative(reportDir, logFile).split(path.sep).join('/') : logFile;
}

function where(o: OpenProblem): string {
  return o.problem.location ? `${o.problem.location.file}:${o.problem.location.line}` : 'unknown location';
}

export function leftMarkdown(input: SummaryInput): string[] {
  const left = leftOf(input);
  const out: string[] = ['## What still fails', ''];
  if (left.failing.length === 0) out.push(left.blocked.length ? 'No executed test fails and every test file loaded.' : 'Nothing: every executed test passed and every test file loaded.', '');
  else {
    const total = input.summary.totalsAfter.failed + input.summary.totalsAfter.loadErrors;
    out.push(table(['Test', 'Suite', 'Error'], left.failing.slice(0, ROWS).map((f) => [code(f.id.endsWith('::<load>') ? f.title : `${f.file} > ${f.title}`), cell(f.suite), cell(f.message, 200)])), '');
    if (total > Math.min(ROWS, left.failing.length)) out.push(`${total - Math.min(ROWS, left.failing.length)} more; every one is in the iteration report's JSON.`, '');
  }
  if (left.blocked.length) {
    out.push('## Blocked suites', '', table(['Suite', 'Reason', 'Why', 'Log'], left.blocked.map((b) => [cell(b.suite), code(b.reason), cell(b.message, 200), b.logFile ? code(b.logFile) : '—'])), '');
  }
  if (left.open.length) {
    out.push('## Open problems', '');
    left.open.forEach((o, i) => out.push(`${i + 1}. **${cell(o.problem.title, 200)}** at ${code(where(o))}: ${o.nextStep}`));
    out.push('', `The failure in full, the code and what was tried: [iteration ${left.iteration} report](iteration-${left.iteration}.md#open-problems).`, '');
  }
  return out;
}

export function leftHtml(input: SummaryInput, esc: (text: string) => string): string {
  const left = leftOf(input);
  const dir = input.summary.reportDir;
  const failing = left.failing.length
    ? `<table id="still-failing"><thead><tr><th>Test</th><th>Suite</th><th>Error</th></tr></thead><tbody>${left.failing
        .slice(0, ROWS)
        .map((f) => `<tr><td><code>${esc(f.id.endsWith('::<load>') ? f.title : `${f.file} > ${f.title}`)}</code></td><td>${esc(f.suite)}</td><td>${esc(clip(f.message, 300))}</td></tr>`)
        .join('')}</tbody></table>`
    : `<p id="still-failing">${left.blocked.length ? 'No executed test fails and every test file loaded.' : 'Nothing: every executed test passed and every test file loaded.'}</p>`;
  const blocked = left.blocked.length
    ? `<h2>Blocked suites</h2><table id="blocked"><thead><tr><th>Suite</th><th>Reason</th><th>Why</th><th>Log</th></tr></thead><tbody>${left.blocked
        .map((b) => `<tr><td>${esc(b.suite)}</td><td><code>${esc(b.reason)}</code></td><td>${esc(clip(b.message, 300))}</td><td>${b.logFile ? `<a href="${esc(logHref(dir, b.logFile))}">log</a>` : '—'}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const open = left.open.length
    ? `<h2>Open problems</h2><ol id="open-problems">${left.open
        .map((o) => {
          const f = o.failure;
          const code = (o.problem.excerpts ?? []).map((e) => `<pre>${esc(`${e.file}\n${e.text}`)}</pre>`).join('');
          const logs = o.suites.filter((s) => s.logFile).map((s) => `<a href="${esc(logHref(dir, s.logFile!))}">${esc(s.suite)} log</a>`).join(' ');
          return `<li><strong>${esc(o.problem.title)}</strong><p class="next">${esc(stripControl(o.nextStep).replace(/`/g, ''))}</p><details><summary>the failure in full and the code</summary><pre>${esc(f?.details ?? f?.message ?? o.problem.message)}</pre>${code}</details>${logs ? `<p>${logs}</p>` : ''}</li>`;
        })
        .join('')}</ol>`
    : '';
  return `<h2>What still fails</h2>\n${failing}\n${blocked}\n${open}`;
}
