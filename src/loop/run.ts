// What a run has found and done so far, shared by its iterations: the tests found flaky, the
// commits, every attempt per problem, the reports, and its first and last test runs.
import type { Attempt, CommitRecord, CulpritSearch, Discovery, FlakyTest, IterationRecord, TestRun } from '../model.js';
import type { PatchProvider } from '../repair/types.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { TestHistory } from '../verify/history.js';
import { culpritSearch } from './culprit.js';
import type { Approver, Emit, RepairContext } from './problem.js';
import type { Session } from './session.js';

/** Tests known to be flaky: reported in every iteration, never handed to a provider, never counted against a candidate. */
export class FlakyLedger {
  readonly tests: FlakyTest[];
  readonly ids: Set<string>;
  /** Tests already re-run to judge them (flaky or not): never re-run again. */
  readonly judged: Set<string>;

  constructor(earlier: FlakyTest[]) {
    this.tests = [...earlier];
    this.ids = new Set(earlier.map((f) => f.id));
    this.judged = new Set(this.ids);
  }

  /** Found in an iteration's first run (findFlaky judged them). */
  addFound(found: FlakyTest[]): void {
    for (const f of found) this.ids.add(f.id);
    this.tests.push(...found);
  }

  /** Found by a verification (they failed under a candidate, then passed): returns those not known before. */
  addVerified(found: FlakyTest[]): FlakyTest[] {
    const fresh = found.filter((f) => !this.ids.has(f.id));
    for (const f of fresh) {
      this.ids.add(f.id);
      this.judged.add(f.id);
    }
    this.tests.push(...fresh);
    return fresh;
  }
}

export interface RunOptions {
  providers: PatchProvider[];
  adapters?: Record<string, TestRunnerAdapter>;
  signal?: AbortSignal;
  approver?: Approver;
  /** Build the TypeScript program while the first suites run (the built-in providers need it). */
  warmAnalysis: boolean;
}

export interface Run {
  session: Session;
  emit: Emit;
  signal?: AbortSignal;
  adapters?: Record<string, TestRunnerAdapter>;
  warmAnalysis: boolean;
  repair: RepairContext;
  flaky: FlakyLedger;
  commits: CommitRecord[];
  /** Every attempt per problem id, over the whole run (resumed runs included). */
  attempts: Map<string, Attempt[]>;
  reports: string[];
  /** The iterations this process ran to their end. */
  records: IterationRecord[];
  discovery?: Discovery[];
  /** The run's first test run, and the latest of its head (the verification run of the last commit). */
  first?: TestRun;
  last?: TestRun;
  /** The iteration in progress. */
  open?: IterationRecord;
  /** The number of the last iteration that started. */
  iterations: number;
  /** Each problem's culprit search, by problem id: made once per run (src/loop/culprit.ts). */
  culprits: Map<string, Promise<CulpritSearch>>;
  /** budget.maxWallMinutes is spent. */
  wallSpent(): boolean;
  /** The caller's signal aborted the run (`signal` also aborts at the wall-clock deadline). */
  interrupted(): boolean;
  /** The wall-clock deadline (budget.maxWallMinutes) cut a running step short. */
  deadlinePassed(): boolean;
  /** Ends the wall clock's timer; call when the run ends. */
  stopClock(): void;
}

/**
 * budget.maxWallMinutes as a deadline: an abort of whatever step runs when it passes (a suite, a
 * verification, a model request), not only a check between steps, which a hung step never reaches.
 */
function wallClock(startedAt: string, maxWall: number | undefined, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  if (maxWall !== undefined) {
    const end = Date.parse(startedAt) + maxWall * 60_000;
    const arm = (): void => {
      const left = end - Date.now();
      if (left < 0) return controller.abort(new Error(`budget.maxWallMinutes (${maxWall}) is spent`));
      // Node's timers hold at most 2^31-1 ms (about 24.8 days): longer waits are re-armed. The +1
      // makes the run's own check (more than maxWall minutes gone) agree when the timer fires.
      timer = setTimeout(arm, Math.min(left + 1, 2 ** 31 - 1));
      timer.unref();
    };
    arm();
  }
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  return { signal, passed: () => controller.signal.aborted, stop: () => clearTimeout(timer) };
}

export function newRun(session: Session, options: RunOptions): Run {
  const { root, workDir, runId, policy, logDir, emit, resume } = session;
  const flaky = new FlakyLedger(resume?.flaky ?? []);
  const maxWall = policy.budget.maxWallMinutes;
  const clock = wallClock(session.startedAt, maxWall, options.signal);
  const signal = clock.signal;
  const run: Run = {
    session, emit, signal, adapters: options.adapters, warmAnalysis: options.warmAnalysis, flaky,
    repair: {
      root, workDir, runId, policy, providers: options.providers, adapters: options.adapters, logDir, signal, flaky, emit, approver: options.approver, isolation: session.isolation,
      history: new TestHistory({ repoRoot: root, suites: policy.suites, adapters: options.adapters, logDir, signal }),
    },
    commits: [...(resume?.commits ?? [])],
    attempts: new Map(resume?.attempts ?? []),
    reports: [...(resume?.reports ?? [])],
    records: [],
    // A resumed run has had the iterations before the one it continues with.
    iterations: resume ? resume.nextIteration - 1 : 0,
    culprits: new Map(),
    wallSpent: () => maxWall !== undefined && Date.now() - Date.parse(session.startedAt) > maxWall * 60_000,
    interrupted: () => !!options.signal?.aborted,
    deadlinePassed: () => clock.passed() && !options.signal?.aborted,
    stopClock: clock.stop,
  };
  run.repair.culprit = async (problem, iteration) => (await culpritSearch(run, problem, iteration))?.culprit;
  return run;
}
