// Live progress on a terminal: the event lines scroll as usual, and one status line under them
// says what the loop is doing now. Not used when stderr is not a TTY, or with --json.
import type { LoopEvent } from './model.js';
import type { SuiteProgress } from './runners/progress.js';

export interface ProgressState {
  iteration: number;
  maxIterations: number;
  phase: string;
  phaseSince: number;
  problem: number;
  problems: number;
  commits: number;
  /** The suites of the run in progress, and how many of them have ended. */
  suites?: string[];
  suitesDone?: number;
  /** What the phase has got through so far (a running suite's tests). */
  detail?: string;
  /** Tests each suite is expected to run: discovery's count, else what its last run ran. */
  expected?: Record<string, number>;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** The status line for a state at time `now` (ms). */
export function statusLine(s: ProgressState, now: number, frame = 0): string {
  const spin = SPINNER[frame % SPINNER.length];
  if (s.iteration === 0) return `${spin} ${s.phase} ${((now - s.phaseSince) / 1000).toFixed(1)}s`;
  const parts = [`${spin} iteration ${s.iteration}/${s.maxIterations}`];
  if (s.phase) parts.push(`${s.phase} ${((now - s.phaseSince) / 1000).toFixed(1)}s`);
  if (s.detail) parts.push(s.detail);
  if (s.problems) parts.push(`problem ${Math.min(Math.max(s.problem, 1), s.problems)}/${s.problems}`);
  parts.push(`${s.commits} fix${s.commits === 1 ? '' : 'es'}`);
  parts.push(`${s.maxIterations - s.iteration} iteration${s.maxIterations - s.iteration === 1 ? '' : 's'} left`);
  return parts.join(' · ');
}

/** Folds an event into the state; `now` stamps a new phase. */
export function advance(s: ProgressState, e: LoopEvent, now: number): ProgressState {
  const phase = (text: string) => ({ ...s, phase: text, phaseSince: now, detail: undefined });
  switch (e.type) {
    case 'iteration:start':
      return { ...phase('starting'), iteration: e.iteration, problem: 0, problems: 0 };
    case 'suites:start':
      return { ...phase(runningSuite(e.suites, 0)), suites: e.suites, suitesDone: 0 };
    case 'discovery:end':
      return { ...s, expected: { ...s.expected, ...Object.fromEntries(e.suites.flatMap((d) => (d.count === undefined ? [] : [[d.suite, d.count]]))) } };
    case 'suite:progress': {
      // The phase's clock keeps running: it is the same suite, further on.
      const suites = s.suites ?? [e.suite];
      return { ...s, phase: runningSuite(suites, Math.max(0, suites.indexOf(e.suite))), detail: progressText(e, s.expected?.[e.suite]) };
    }
    case 'suite:end': {
      const done = (s.suitesDone ?? 0) + 1;
      const suites = s.suites ?? [];
      const expected = (e.totals?.tests ?? 0) > 0 ? { ...s.expected, [e.suite]: s.expected?.[e.suite] ?? e.totals.tests } : s.expected;
      return { ...phase(done < suites.length ? runningSuite(suites, done) : 'suites done'), suitesDone: done, expected };
    }
    case 'suites:end':
      return phase('triage: re-running failing tests, grouping problems');
    case 'flaky:found':
      return phase(`${e.tests.length} flaky test${e.tests.length === 1 ? '' : 's'} found; grouping problems`);
    case 'problem:found':
      return { ...s, problems: s.problems + 1 };
    case 'candidate:proposed':
      return { ...phase(`verifying ${e.candidateId} (${e.provider})`), problem: Math.max(s.problem, 1) };
    case 'fix:committed':
      return { ...phase('committed; next problem'), commits: s.commits + 1, problem: s.problem + 1 };
    case 'iteration:end':
      return phase('writing reports');
    default:
      return s;
  }
}

/** "34/123 tests, 2 failed" or "12 files, 1 failing" (jest prints files, not tests). */
export function progressText(p: SuiteProgress, expected?: number): string {
  const of = p.expected ?? expected;
  if (p.tests !== undefined) {
    const failed = p.failed ? `, ${p.failed} failed` : '';
    return `${of !== undefined && of >= p.tests ? `${p.tests}/${of}` : p.tests} test${p.tests === 1 && of === undefined ? '' : 's'} done${failed}`;
  }
  const files = p.files ?? 0;
  return `${files} test file${files === 1 ? '' : 's'} done${p.failedFiles ? `, ${p.failedFiles} failing` : ''}`;
}

function runningSuite(suites: string[], done: number): string {
  if (suites.length === 1) return `running suite ${suites[0]}`;
  return `running suite ${suites[done]} (${done + 1}/${suites.length})`;
}

/** Draws the status line under the scrolling lines, redrawn every 100 ms. */
export class TerminalProgress {
  private state: ProgressState;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WriteStream,
    maxIterations: number,
  ) {
    this.state = { iteration: 0, maxIterations, phase: 'starting', phaseSince: Date.now(), problem: 0, problems: 0, commits: 0 };
  }

  setMaxIterations(n: number): void {
    this.state = { ...this.state, maxIterations: n };
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }

  /** Prints a line above the status line and folds the event in. */
  line(text: string | undefined, event: LoopEvent): void {
    this.state = advance(this.state, event, Date.now());
    this.out.write('\r\x1b[K');
    if (text !== undefined) this.out.write(`${text}\n`);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.out.write('\r\x1b[K');
  }

  private draw(): void {
    const columns = this.out.columns || 100;
    this.out.write(`\r\x1b[K${statusLine(this.state, Date.now(), this.frame++).slice(0, columns - 1)}`);
  }
}
