// The run summary: summary.md and a single self-contained summary.html (no network, no external
// assets) for the whole run. Like the iteration reports, it only shows what the loop recorded.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IterationRecord, RunSummary, StopReason, Totals } from '../model.js';
import { formatTotals, isGreen } from '../test-run.js';
import { code, duration, fence, plural, shortSha, subject, table } from './markdown.js';
import { safeMarkdown, stripControl } from '../safe-text.js';
import { leftHtml, leftMarkdown } from './summary-open.js';
import { culpritRows, culpritsHtml, culpritsMarkdown } from './culprits.js';

/** An iteration a run's earlier process ended (the summary of a resumed run charts it from the journal). */
export interface IterationTotals {
  iteration: number;
  before: Totals;
  after: Totals;
}

export interface SummaryInput {
  summary: RunSummary;
  /** The iterations this process ran. */
  iterations: IterationRecord[];
  /** A resumed run: the iterations its earlier process(es) ended, before `iterations`. */
  earlier?: IterationTotals[];
  /** Each commit's diff by sha, as git has it: for fixes whose attempt this process did not see. */
  diffs?: Record<string, string>;
  maxIterations: number;
  /** The policy's model budgets, when set. */
  maxTokens?: number;
  maxCostUSD?: number;
}

/** Budget rows: iterations, wall time, and what the model cost (from the provider's own accounting). */
function budgetRows(input: SummaryInput): string[][] {
  const { summary } = input;
  const llm = summary.llm;
  const tokens = llm ? llm.inputTokens + llm.outputTokens + llm.cacheReadTokens + llm.cacheWriteTokens : 0;
  return [
    ['iterations', String(summary.iterations), String(input.maxIterations)],
    ['wall time', wallTime(summary), 'none'],
    ['tokens', llm ? `${tokens} in ${plural(llm.requests, 'request')} (${Math.round(llm.cacheHitShare * 100)}% of prompt tokens from the cache)` : '0 (no model was called)', input.maxTokens === undefined ? 'none' : String(input.maxTokens)],
    ['cost', `$${(llm?.costUSD ?? 0).toFixed(2)}`, input.maxCostUSD === undefined ? 'none' : `$${input.maxCostUSD.toFixed(2)}`],
  ];
}

const STOP_REASONS: Record<StopReason, string> = {
  green: 'every suite is green',
  'max-iterations': 'the iteration budget was spent',
  'no-progress': 'an iteration committed no fix although candidates were tried',
  'nothing-fixable': 'no provider offered a candidate for the remaining problems',
  flaky: 'only flaky tests fail: they failed on their first attempt and passed on a re-run, so there is nothing to repair, yet a plain run of the suites can fail',
  blocked: 'no suite could be run',
  budget: 'a token or cost budget of the model was spent',
  fatal: 'a provider could not go on',
  stopped: 'the person supervising the run stopped it',
  'deploy-failed': 'a deploy step failed and deploy.stopOnFailure is set',
  interrupted: 'the run was interrupted',
};

/**
 * Totals at the start of the run, then after each iteration (those of earlier processes first):
 * the points of the chart. `start`, the run's own first totals, stands for the start when given:
 * an iteration a resumed run did again started from a head the interrupted one had moved on.
 */
export function progressPoints(iterations: IterationRecord[], earlier: IterationTotals[] = [], start?: Totals): { label: string; totals: Totals }[] {
  const all = [...earlier, ...iterations.map((it) => ({ iteration: it.iteration, before: it.before.totals, after: it.after.totals }))];
  if (all.length === 0) return [];
  return [{ label: 'start', totals: start ?? all[0].before }, ...all.map((it) => ({ label: `after ${it.iteration}`, totals: it.after }))];
}

/** Every iteration of the run that ended, earlier processes' first. */
function iterationNumbers(input: SummaryInput): number[] {
  return [...(input.earlier ?? []).map((it) => it.iteration), ...input.iterations.map((it) => it.iteration)];
}

/** A fix's diff: from the attempt that made it, else as git has the commit. */
function diffOf(input: SummaryInput, c: RunSummary['commits'][number]): string | undefined {
  const attempt = input.iterations.flatMap((it) => it.attempts).find((a) => a.candidateId === c.candidateId && a.outcome === 'committed');
  return attempt?.diff || input.diffs?.[c.sha];
}

function wallTime(s: RunSummary): string {
  return duration(Date.parse(s.endedAt) - Date.parse(s.startedAt));
}

function headline(input: SummaryInput): string {
  const { summary } = input;
  const last = input.iterations[input.iterations.length - 1];
  // A resumed run that ran no iteration itself has only its earlier totals to go by.
  const t = summary.totalsAfter;
  const green = last ? isGreen(last.after, { expectedTests: last.expectedTests }) : !!input.earlier?.length && t.passed > 0 && t.failed === 0 && t.loadErrors === 0;
  const state = green ? 'green' : summary.status === 'blocked' ? 'blocked' : summary.status === 'interrupted' ? 'interrupted' : 'not green';
  return `The run ended ${state} after ${plural(summary.iterations, 'iteration')} because ${STOP_REASONS[summary.stopReason]}: ${formatTotals(summary.totalsBefore, { every: true })} at the start, ${formatTotals(summary.totalsAfter, { every: true })} at the end, with ${plural(summary.commits.length, 'fix', 'fixes')} committed${summary.branch ? ` on ${code(summary.branch)}` : ''}.`;
}

export function renderSummaryMarkdown(input: SummaryInput): string {
  const { summary } = input;
  const out = [`# fixloop run ${summary.runId}`, '', headline(input), ''];
  out.push('## Progress', '', table(['Point', 'Tests', 'Passed', 'Failed', 'Skipped', 'Load errors'], progressPoints(input.iterations, input.earlier, summary.totalsBefore).map((p) => [p.label, String(p.totals.tests), String(p.totals.passed), String(p.totals.failed), String(p.totals.skipped), String(p.totals.loadErrors)])), '');
  out.push(...leftMarkdown(input));
  out.push('## Fixes', '');
  if (summary.commits.length === 0) out.push('No fix was committed.', '');
  summary.commits.forEach((c, i) => {
    const diff = diffOf(input, c);
    out.push(`### ${i + 1}. ${subject(c.message)}`, '', `Iteration ${c.iteration} · commit ${code(shortSha(c.sha))} · provider ${code(c.provider)} · ${c.files.map(code).join(', ')}`, '');
    if (diff) out.push(fence(diff, 'diff'), '');
  });
  const culprits = culpritRows(input.iterations);
  if (culprits.length) out.push('## Culprits', '', culpritsMarkdown(culprits), '');
  out.push('## Budget spent', '', table(['Budget', 'Spent', 'Limit'], budgetRows(input)), '');
  out.push('## Stop reason', '', `${code(summary.stopReason)}: ${STOP_REASONS[summary.stopReason]}.${summary.error ? ` ${summary.error}` : ''}`, '');
  out.push('## Iteration reports', '', ...iterationNumbers(input).map((n) => `- [Iteration ${n}](iteration-${n}.md)`), '');
  return safeMarkdown(out.join('\n'));
}

function esc(text: string): string {
  return stripControl(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Stacked bars per point: passed, failed, files that failed to load. Inline SVG, no script. */
export function progressChart(points: { label: string; totals: Totals }[]): string {
  const width = Math.max(80 * points.length + 40, 420);
  const height = 200;
  const top = Math.max(1, ...points.map((p) => p.totals.passed + p.totals.failed + p.totals.loadErrors));
  const scale = (n: number) => (n / top) * 120;
  const bars = points.map((p, i) => {
    const x = 30 + i * 80;
    let y = 140;
    const parts = [
      ['passed', p.totals.passed, '#2f855a'],
      ['failed', p.totals.failed, '#c53030'],
      ['load errors', p.totals.loadErrors, '#dd6b20'],
    ] as const;
    const rects = parts
      .filter(([, n]) => n > 0)
      .map(([name, n, color]) => {
        const h = scale(n);
        y -= h;
        return `<rect x="${x}" y="${y.toFixed(1)}" width="44" height="${h.toFixed(1)}" fill="${color}"><title>${esc(p.label)}: ${n} ${name}</title></rect>`;
      });
    return `${rects.join('')}<text x="${x + 22}" y="${(y - 6).toFixed(1)}" text-anchor="middle">${p.totals.passed}</text><text x="${x + 22}" y="158" text-anchor="middle">${esc(p.label)}</text>`;
  });
  // Files that failed to load are stacked on the tests' scale: the legend says what each colour counts.
  const legend = [
    ['#2f855a', 'tests passed'],
    ['#c53030', 'tests failed'],
    ['#dd6b20', 'test files that failed to load'],
  ]
    .map(([color, text], i) => `<rect x="${30 + i * 120}" y="176" width="10" height="10" fill="${color}"/><text x="${44 + i * 120}" y="185">${text}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Passing tests per iteration" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="11" font-family="sans-serif">${bars.join('')}${legend}</svg>`;
}

export function renderSummaryHtml(input: SummaryInput): string {
  const { summary } = input;
  const points = progressPoints(input.iterations, input.earlier, summary.totalsBefore);
  const rows = points.map((p) => `<tr><td>${esc(p.label)}</td><td>${p.totals.tests}</td><td>${p.totals.passed}</td><td>${p.totals.failed}</td><td>${p.totals.skipped}</td><td>${p.totals.loadErrors}</td></tr>`).join('');
  const fixes = summary.commits.map((c, i) => {
    const diff = diffOf(input, c);
    return `<tr><td>${c.iteration}</td><td><a href="#fix-${i + 1}"><code>${esc(shortSha(c.sha))}</code></a></td><td>${esc(subject(c.message))}</td><td>${esc(c.provider)}</td><td>${c.files.map((f) => `<code>${esc(f)}</code>`).join(' ')}</td></tr>` +
      `<tr class="diff" id="fix-${i + 1}"><td colspan="5"><details><summary>diff of ${esc(shortSha(c.sha))}</summary><pre>${esc(diff ?? '(no diff recorded)')}</pre></details></td></tr>`;
  }).join('');
  const culprits = culpritRows(input.iterations);
  const reports = iterationNumbers(input).map((n) => `<li><a href="iteration-${n}.md">Iteration ${n}</a></li>`).join('');
  const headlineText = headline(input).replace(/`([^`]*)`/g, '$1');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fixloop run ${esc(summary.runId)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1a202c}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #cbd5e0;padding:4px 8px;text-align:left}pre{background:#f7fafc;padding:8px;overflow:auto}.status{font-weight:bold}</style>
</head><body>
<h1>fixloop run ${esc(summary.runId)}</h1>
<p class="status">${esc(headlineText)}</p>
<h2>Progress</h2>
${progressChart(points)}
<table><thead><tr><th>Point</th><th>Tests</th><th>Passed</th><th>Failed</th><th>Skipped</th><th>Load errors</th></tr></thead><tbody>${rows}</tbody></table>
${leftHtml(input, esc)}
<h2>Fixes</h2>
${summary.commits.length ? `<table><thead><tr><th>Iteration</th><th>Commit</th><th>Message</th><th>Provider</th><th>Files</th></tr></thead><tbody>${fixes}</tbody></table>` : '<p>No fix was committed.</p>'}
${culprits.length ? `<h2>Culprits</h2>\n${culpritsHtml(culprits)}\n` : ''}<h2>Budget spent</h2>
<table><thead><tr><th>Budget</th><th>Spent</th><th>Limit</th></tr></thead><tbody>${budgetRows(input).map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>
<h2>Stop reason</h2>
<p><code>${esc(summary.stopReason)}</code>: ${esc(STOP_REASONS[summary.stopReason])}.${summary.error ? ` ${esc(summary.error)}` : ''}</p>
<h2>Iteration reports</h2>
<ul>${reports}</ul>
</body></html>
`;
}

/** Writes summary.md and summary.html into the run's report directory; returns their paths. */
export async function writeRunSummary(dir: string, input: SummaryInput): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const md = path.join(dir, 'summary.md');
  const html = path.join(dir, 'summary.html');
  await writeFile(md, renderSummaryMarkdown(input));
  await writeFile(html, renderSummaryHtml(input));
  return [md, html];
}
