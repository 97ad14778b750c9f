// The problems still open after an iteration, as a person acts on them the next morning: the
// failure in full, the code where it broke and the test's own line, what was tried and why it was
// rejected, where the logs are, and one concrete next step. Shared by the iteration report and the
// run summary (Markdown and HTML).
import type { Attempt, Failure, IterationRecord, Problem, SourceLocation, SuiteRun } from '../model.js';
import { shownId, stillFailing } from '../test-run.js';
import { clip, code, codeList, fence, plural } from './markdown.js';
import { numbered } from './source.js';

const STACK_LINES = 15;

export interface OpenProblem {
  problem: Problem;
  /** Its tests (and files, by path) that still fail after the iteration. */
  left: string[];
  /** The first failure: what the report shows in full. */
  failure?: Failure;
  /** Every attempt at it in the iterations given, in order. */
  attempts: Attempt[];
  /** The suites its tests ran in, with their logs of the iteration's final run. */
  suites: SuiteRun[];
  nextStep: string;
}

const at = (l: SourceLocation): string => `${l.file}:${l.line}`;

/** The problems of `rec` with tests still failing at its end; attempts gathered from `history` too. */
export function openProblems(rec: IterationRecord, history: IterationRecord[] = [rec]): OpenProblem[] {
  const out: OpenProblem[] = [];
  for (const problem of rec.problems) {
    const left = stillFailing(problem, rec.before, rec.after).map(shownId);
    if (left.length === 0) continue;
    const attempts = [...new Set([...history, rec])].flatMap((r) => r.attempts.filter((a) => a.problemId === problem.id));
    const suites = rec.after.suites.filter((s) => s.tests.some((t) => problem.testIds.includes(t.id)) || s.loadFailures.some((l) => problem.loadFailedFiles.includes(l.file)));
    const open: OpenProblem = { problem, left, attempts, suites, nextStep: '' };
    if (problem.failures[0]) open.failure = problem.failures[0];
    open.nextStep = nextStep(open);
    out.push(open);
  }
  return out;
}

function values(f: Failure | undefined): string {
  if (!f || (f.expected === undefined && f.actual === undefined)) return '';
  return ` (expected ${code(clip(f.expected ?? '?', 120))}, received ${code(clip(f.actual ?? '?', 120))})`;
}

/** What to do next, said concretely: where to change what, what not to repeat, how to check. */
function nextStep(o: OpenProblem): string {
  const { problem: p, failure: f } = o;
  const where = p.location ? at(p.location) : p.testFiles[0] ?? 'the test output';
  const hook = /^(beforeAll|afterAll|beforeEach|afterEach) failed in (\S+):/.exec(p.title);
  const inTest = !p.location || p.testFiles.includes(p.location.file);
  let step: string;
  if (hook) step = `make the ${hook[1]} hook of ${code(hook[2])} pass: it throws at ${code(where)} (${clip(p.message, 160)}), so none of that file's tests are judged`;
  else if (p.loadFailedFiles.length > 0 && p.testIds.length === 0) step = `make ${codeList(p.loadFailedFiles, 3)} load again: the error is raised at ${code(where)} (${clip(p.message, 160)})`;
  else if (!inTest) step = `fix ${code(where)}, where the error is raised${values(f)}${f?.testLocation ? `; the test reaches it from ${code(at(f.testLocation))}` : ''}`;
  else if (p.callee) step = `the assertion at ${code(where)} fails${values(f)}: it checks ${code(p.callee.name)}, declared at ${code(at(p.callee))}; correct it there, or the expectation if the behaviour changed on purpose`;
  else step = `the assertion at ${code(where)} fails${values(f)}: correct the code that line calls, or the expectation if the behaviour changed on purpose`;
  const rejected = o.attempts.filter((a) => a.outcome !== 'committed');
  const tried = rejected.length
    ? ` ${plural(rejected.length, 'candidate')} did not fix it (${rejected.map((a) => `${a.provider}: ${a.verdict?.kind ?? a.outcome}`).join(', ')}): see why under Tried before repeating them.`
    : ' No provider proposed a fix.';
  const rerun = o.suites.map((s) => `${code(s.command)} (suite ${s.suite}) on ${codeList(p.testFiles, 3)}`).join(', ');
  return `${step[0].toUpperCase()}${step.slice(1)}.${tried}${rerun ? ` Then re-run ${rerun}.` : ''}`;
}

function language(file: string): string {
  const ext = /\.(\w+)$/.exec(file)?.[1] ?? '';
  return ({ ts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', py: 'python', go: 'go' } as Record<string, string>)[ext] ?? '';
}

function attemptLine(a: Attempt): string {
  const verdict = a.verdict ? ` — verdict ${code(a.verdict.kind)}: ${a.verdict.summary}` : '';
  return `  - ${code(a.provider)} ${a.title}: **${a.outcome}**${a.reason ? ` (${a.reason})` : ''}${verdict}`;
}

/** One open problem in Markdown, under a heading of `level`. */
export function openProblemMarkdown(o: OpenProblem, index: number, level = '###'): string {
  const { problem: p, failure: f } = o;
  const lines = [`${level} ${index}. ${p.title}`, ''];
  lines.push(`- **Kind:** ${code(p.kind)} · **still failing:** ${codeList(o.left, 10)}`);
  if (p.location) lines.push(`- **Where it broke:** ${code(at(p.location))}${f?.testLocation && at(f.testLocation) !== at(p.location) ? ` · **test line:** ${code(at(f.testLocation))}` : ''}`);
  if (p.callee) lines.push(`- **Code under test:** ${code(p.callee.name)} at ${code(at(p.callee))} (called by the failing assertion)`);
  for (const e of p.excerpts ?? []) lines.push('', fence(numbered(e), language(e.file)));
  lines.push('', '**Failure:**', '', fence(f?.details ?? f?.message ?? p.message));
  if (f?.expected !== undefined || f?.actual !== undefined) lines.push('', `- **Expected:** ${code(clip(f.expected ?? '?', 300))}`, `- **Received:** ${code(clip(f.actual ?? '?', 300))}`);
  if (f?.diff && !(f.details ?? '').includes(f.diff)) lines.push('', fence(f.diff, 'diff'));
  if (f?.stack) {
    const stack = f.stack.split('\n');
    lines.push('', '<details><summary>Stack</summary>', '', fence(stack.slice(0, STACK_LINES).join('\n') + (stack.length > STACK_LINES ? `\n… ${stack.length - STACK_LINES} more lines` : '')), '', '</details>');
  }
  lines.push('', o.attempts.length ? `- **Tried:**\n${o.attempts.map(attemptLine).join('\n')}` : '- **Tried:** nothing: no provider proposed a fix');
  const logs = o.suites.filter((s) => s.logFile).map((s) => `${code(s.logFile!)} (${s.suite})`);
  if (logs.length) lines.push(`- **Logs:** ${logs.join(', ')}`);
  lines.push(`- **Next step:** ${o.nextStep}`);
  return lines.join('\n');
}

export function openProblemsMarkdown(rec: IterationRecord, history?: IterationRecord[]): string {
  const open = openProblems(rec, history);
  if (open.length === 0) return 'None: every problem found in this iteration is fixed.';
  return open.map((o, i) => openProblemMarkdown(o, i + 1)).join('\n\n');
}
