// The shared vocabulary of fixloop. Types only: no logic lives here. Over 300 lines on purpose:
// one place to read every word the modules share (events, runs, problems, candidates, verdicts).
// Conventions: every path is repository-relative with forward slashes; lines and columns are 1-based.

export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'todo';

/** Why a test (or a test file) failed, as read from the runner's own output. */
export interface Failure {
  /** First line(s) of the error, ANSI codes stripped, e.g. "ReferenceError: join is not defined". */
  message: string;
  /** Error class when the runner names it: "ReferenceError", "SyntaxError", "AssertionError". */
  errorName?: string;
  stack?: string;
  /**
   * Where the code broke: the first frame in the project's source (not a dependency, not the test
   * file); the test's own frame when the stack holds nothing else (a plain assertion).
   */
  location?: SourceLocation;
  /** The test file's frame (the assertion or call), kept beside a source `location`. */
  testLocation?: SourceLocation;
  /** The whole error as the runner printed it before its stack: every line of the message, the diff (bounded). */
  details?: string;
  /** What the assertion expected, as the runner shows it (its structured field when it has one). */
  expected?: string;
  /** What the assertion received (jest's "Received", node's "actual"). */
  actual?: string;
  /** The runner's diff of expected and received, when it printed one. */
  diff?: string;
}

export interface TestCase {
  /**
   * Stable across runs, checkouts and worktrees: `${suite}::${file}::${fullName}`, and ` [n]` after
   * it for the n-th test of the run with that file and full name (see `occurrence`).
   */
  id: string;
  suite: string;
  /** The test file. */
  file: string;
  /** Describe blocks and title joined by " > ". */
  fullName: string;
  /** 2, 3, …: the n-th test of the run with this file and full name, in the runner's order; absent for the first. */
  occurrence?: number;
  status: TestStatus;
  durationMs?: number;
  /** Where the test is declared. */
  location?: SourceLocation;
  failure?: Failure;
  /**
   * Each attempt's status, in order, when the runner retried the test within the run (vitest's
   * `--retry`); the last one is `status`. Absent when the test ran once.
   */
  attempts?: TestStatus[];
}

/** A test file that could not be loaded or collected: none of its tests ran. */
export interface LoadFailure {
  suite: string;
  file: string;
  failure: Failure;
  /**
   * The file loaded and its tests were collected, but this hook of it threw (mocha's "before all"
   * is beforeAll): reported as "beforeAll failed", not as a file that failed to load.
   */
  hook?: HookName;
}

export type HookName = 'beforeAll' | 'afterAll' | 'beforeEach' | 'afterEach';

export interface Totals {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed to load (their tests are not counted above: they never ran). */
  loadErrors: number;
}

/** The suite could not test the code at all (command missing, service down, timeout, ...). */
export interface Blocker {
  reason: 'command-not-found' | 'timeout' | 'no-report' | 'crash' | 'environment';
  message: string;
  /** Last lines of the command's output, as evidence. */
  outputTail: string;
}

/**
 * Something the tests need that is not installed: a package, a Python package, a browser or a
 * program. The tests it fails are blocked by the environment, never a problem to repair.
 */
export interface MissingDependency {
  kind: 'package' | 'python-package' | 'browser' | 'program';
  /** The package, browser or program: "lodash", "httpx", "chromium", "magick". */
  name: string;
  /** What to do, e.g. "run `npm ci`: lodash is in package.json but not installed". */
  install: string;
  /** The error as printed, e.g. "Cannot find package 'lodash'". */
  message: string;
  /**
   * For a package that is this repository's own workspace package, linked into node_modules but
   * not built (the file its package.json names is missing): its directory, repository-relative.
   */
  workspace?: string;
  /** Test files that failed to load because of it. */
  files: string[];
  /** Tests that failed because of it. */
  testIds: string[];
}

export interface SuiteRun {
  suite: string;
  command: string;
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  tests: TestCase[];
  loadFailures: LoadFailure[];
  totals: Totals;
  blocker?: Blocker;
  /** Dependencies that are not installed, with the load failures and tests they explain: environment blockers, not problems. */
  missing?: MissingDependency[];
  /** Paths outside the verification worktree that the run tried to write, refused by the sandbox. */
  deniedWrites?: string[];
  /** What the adapter could not do as asked, e.g. run only the chosen test files. */
  warnings?: string[];
  /** File holding the full output of this run, when one was written. */
  logFile?: string;
}

export interface TestRun {
  startedAt: string;
  durationMs: number;
  suites: SuiteRun[];
  totals: Totals;
}

export type FailureKind =
  | 'syntax'
  | 'module-load'
  | 'type'
  | 'reference'
  | 'assertion'
  | 'timeout'
  | 'environment'
  | 'unknown';

/** One root cause: the failures that share it, located where the code broke. */
export interface Problem {
  /** Stable signature (kind + location + normalized message) so attempts can be counted across iterations. */
  id: string;
  kind: FailureKind;
  /** One line for humans: "ReferenceError: join is not defined at src/b.ts:1". */
  title: string;
  message: string;
  location?: SourceLocation;
  /** Ids of the failing tests this problem explains. */
  testIds: string[];
  /** Test files that failed to load because of it. */
  loadFailedFiles: string[];
  /** Every test file involved: what a targeted re-run must run. */
  testFiles: string[];
  failures: Failure[];
  /** The code at the location and at the first failure's test frame, read when the problem was found. */
  excerpts?: CodeExcerpt[];
  /**
   * For an assertion located at the test's own line: the project function that line calls, found
   * through the test file's imports (the stack holds no frame of the code under test).
   */
  callee?: SourceLocation & { name: string };
}

/** A few lines of a file around one line, as they were when read. */
export interface CodeExcerpt {
  file: string;
  /** The line pointed at. */
  line: number;
  /** The first line of `text`. */
  startLine: number;
  text: string;
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
  category: 'error' | 'warning' | 'suggestion' | 'message';
}

/** The code around a problem's location, gathered with ts-morph. */
export interface CodeContext {
  file: string;
  enclosing?: { kind: string; name?: string; startLine: number; endLine: number; text: string };
  imports: string[];
  referencedDeclarations: { name: string; file: string; line: number; text: string }[];
  diagnostics: Diagnostic[];
}

/** One file before and after a patch; null means the file does not exist on that side. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

export interface Patch {
  changes: FileChange[];
}

export interface CommitIntent {
  type: string;
  scope?: string;
  subject: string;
  body?: string;
  /** Git trailers ("Reverts: <sha>") written before fixloop's own. */
  trailers?: string[];
}

export interface Candidate {
  id: string;
  problemId: string;
  provider: string;
  /** Short description of the edit, e.g. "Add import from './join'". */
  title: string;
  rationale: string;
  rootCause?: string;
  patch: Patch;
  commit?: CommitIntent;
}

export type VerdictKind = 'fixed' | 'partial' | 'no-effect' | 'regressed' | 'broken';

/** What a verification's commands ran in (src/sandbox). */
export type Isolation = { kind: 'bwrap'; network: boolean } | { kind: 'none'; why: string };

export interface Verdict {
  kind: VerdictKind;
  /** The full run with the candidate applied (absent when verification stopped at the targeted run). */
  run?: TestRun;
  targeted?: TestRun;
  /** Test ids failing (or files failing to load) in the baseline that pass now. */
  fixed: string[];
  /** Test ids that passed in the baseline and fail now. */
  broke: string[];
  /** The problem's tests (or load-failed files) that still fail. */
  stillFailing: string[];
  /** Tests that failed under the candidate but passed when run again: flaky, not broken by it. */
  flaky?: FlakyTest[];
  /**
   * Tests the candidate let run again (their file failed to load in the baseline) that fail where
   * they passed at `sha`, the last commit where they ran: the candidate is "partial" at best.
   */
  history?: { sha: string; failing: string[] };
  /**
   * Why the verification did not finish (a suite timed out or was killed, where the baseline's
   * did not): the verdict says little about the candidate, which may be tried again.
   */
  cutShort?: string;
  summary: string;
  /** How the verification worktree got what git does not carry (see IterationRecord.dependencies). */
  dependencies?: string;
  /** What the candidate's code ran in: the sandbox, or nothing (and why). */
  isolation?: Isolation;
}

export interface CommitRecord {
  sha: string;
  message: string;
  files: string[];
  problemId: string;
  candidateId: string;
  provider: string;
  iteration: number;
}

/** What a person (or an SDK Approver) decides about a verified candidate. */
export type Decision = 'accept' | 'reject' | 'skip' | 'stop';

export type AttemptOutcome = 'committed' | 'rejected' | 'not-accepted' | 'error';

export interface Attempt {
  problemId: string;
  candidateId: string;
  provider: string;
  title: string;
  outcome: AttemptOutcome;
  reason?: string;
  verdict?: Omit<Verdict, 'run' | 'targeted'>;
  diff: string;
  /** The candidate's rootCause, kept so reports can explain a fix without the Candidate. */
  rootCause?: string;
  /** Its verification was cut short (Verdict.cutShort): it counts against the budget, yet providers may propose it again. */
  cutShort?: string;
}

export type StopReason =
  | 'deploy-failed'
  | 'fatal'
  | 'stopped'
  | 'green'
  | 'max-iterations'
  | 'no-progress'
  | 'nothing-fixable'
  /** Only flaky tests fail (on their first attempt): nothing to repair, yet not green. */
  | 'flaky'
  | 'blocked'
  | 'budget'
  | 'interrupted';

/** The commit that made a problem's tests fail: the first on the first-parent history after the last commit where they passed. */
export interface Culprit {
  sha: string;
  subject: string;
  /** "Name <email>". */
  author: string;
  /** The author date, ISO 8601. */
  date: string;
  /** Its first parent: the last commit where the problem's tests passed. */
  lastGood: string;
  /** A merge commit: named, never reverted. */
  merge: boolean;
  /** Every file it changed, repository-relative. */
  files: string[];
  /** Those of its files on the failing path: the problem's location, the files its failures' messages and stacks name, its test files, and what they import. */
  onPath: string[];
  /** Its diff for the files on the failing path (the whole commit's when none is), cut at a few thousand characters. */
  diff?: string;
}

/** What the search for a problem's culprit found (src/culprit). */
export interface CulpritSearch {
  problemId: string;
  culprit?: Culprit;
  /** Why no culprit is named, e.g. "the tests fail at every one of the 50 commits searched". */
  reason?: string;
  /** Test runs the search took (0: the loop's earlier runs answered). */
  runs: number;
  /** Commits whose outcome the search used, in the order it asked: run now, read from the loop's earlier runs, or told by git (the tests' files did not exist). */
  probes: { sha: string; outcome: 'pass' | 'fail' | 'absent' | 'unknown'; from: 'run' | 'earlier-run' | 'history' }[];
}

/** How many tests a suite would run, counted without running it. */
export interface Discovery {
  suite: string;
  /** Absent when it could not be counted. */
  count?: number;
  /** Why it could not be counted, or what the count leaves out. */
  reason?: string;
}

/** One deploy command after an iteration. */
export interface DeployResult {
  name: string;
  command: string;
  /** blocked: the environment stopped it (daemon down, file lock, timeout, missing tool); failed: it ran and failed. */
  status: 'ok' | 'blocked' | 'failed';
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  outputTail: string;
}

/** A failing test that passed when re-run: recorded, reported, never repaired. */
export interface FlakyTest {
  id: string;
  /** The baseline outcome first, then each re-run's ("skipped" when it did not report). */
  history: TestStatus[];
}

export interface IterationRecord {
  runId: string;
  iteration: number;
  startedAt: string;
  endedAt: string;
  before: TestRun;
  after: TestRun;
  problems: Problem[];
  attempts: Attempt[];
  commits: CommitRecord[];
  /** Commit sha of the loop's branch when the iteration began. */
  baseSha: string;
  /** Failing tests found flaky so far in the run (absent in older records). */
  flaky?: FlakyTest[];
  /** The policy's categories: name → globs of test files. */
  categories?: Record<string, string[]>;
  /** The policy's goal.expectedTests. */
  expectedTests?: number;
  /** Tests each suite would run, counted without running them (only when a goal is set). */
  discovery?: Discovery[];
  /** The deploy stage after this iteration, when one ran. */
  deploy?: DeployResult[];
  /**
   * How the loop's worktree got what git does not carry, e.g. "linked node_modules at .,
   * packages/a; linked virtualenv .venv" (verifications' worktrees get the same).
   */
  dependencies?: string;
  /** The culprit searches of this iteration's problems, for those that were searched (absent in older records). */
  culprits?: CulpritSearch[];
}

/** What the LLM provider spent in a run. */
export interface LlmSpend {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUSD: number;
  /** Share of prompt tokens served from the prompt cache. */
  cacheHitShare: number;
}

/** A test that fails, or a test file that failed as a whole, named for a person or a script reading `--json`. */
export interface FailingTest {
  /** The test's id, or `suite::file::<load>` for a file that failed to load or whose hook failed. */
  id: string;
  suite: string;
  file: string;
  /** The test's full name (describe blocks joined by " > "), or the file and what failed ("beforeAll failed"). */
  title: string;
  /** The first line of its error. */
  message: string;
  /** The problem that explains it, when one of the last iteration's does. */
  problemId?: string;
}

/** A suite that could not test the code, and why. */
export interface BlockedSuite {
  suite: string;
  reason: Blocker['reason'];
  message: string;
  logFile?: string;
}

export interface RunSummary {
  runId: string;
  status: 'green' | 'failing' | 'blocked' | 'interrupted' | 'error';
  /** Why the run stopped with status "error" (a provider that cannot go on, e.g. a rejected API key). */
  error?: string;
  /** Absent when no LLM provider took part. */
  llm?: LlmSpend;
  stopReason: StopReason;
  branch: string;
  iterations: number;
  commits: CommitRecord[];
  totalsBefore: Totals;
  totalsAfter: Totals;
  reportDir: string;
  reports: string[];
  startedAt: string;
  endedAt: string;
  /** The exit code the policy chose for this ending (flaky.exitCode, when only flaky tests fail). */
  exitCode?: number;
  /** What still fails at the end (at most FAILING_LIMIT; totalsAfter has the counts). */
  failing?: FailingTest[];
  /** Suites that could not run at the end. */
  blocked?: BlockedSuite[];
}

// ---- events: the loop is a stream of these; the CLI, journal and reports consume them ----

interface EventBase {
  runId: string;
  at: string;
}

export type LoopEvent = EventBase &
  (
    | { type: 'run:start'; cwd: string; branch: string; baseSha: string; policySource: string; maxIterations: number; /** Files with uncommitted changes, left untouched (only with --worktree). */ uncommitted: string[]; /** What a crashed run had left behind and this start removed. */ cleaned: { worktrees: string[]; branches: string[] } }
    | { type: 'run:resume'; branch: string; maxIterations: number; /** The iteration it continues with. */ iteration: number; /** Fixes the run had already committed. */ commits: number; cleaned: { worktrees: string[]; branches: string[] }; /** Of those, the fixes found on the branch that the journal had not recorded (the process died in the commit). */ recovered?: CommitRecord[] }
    | { type: 'iteration:start'; iteration: number }
    | { type: 'suites:start'; iteration: number; suites: string[] }
    | { type: 'suite:end'; iteration: number; suite: string; totals: Totals; durationMs: number; blocker?: Blocker }
    /** How far a running suite has got, from what its runner prints (at most one a second; not journaled). */
    | { type: 'suite:progress'; iteration: number; suite: string; tests?: number; failed?: number; files?: number; failedFiles?: number; expected?: number }
    | { type: 'suites:end'; iteration: number; totals: Totals; durationMs: number }
    | { type: 'discovery:end'; suites: Discovery[] }
    | { type: 'llm:usage'; problemId: string; turn: number; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; costUSD: number }
    | { type: 'llm:notice'; problemId: string; kind: 'outage' | 'paused' | 'invalid-call' | 'gave-up' | 'endpoint-ignored'; message: string }
    | { type: 'flaky:found'; iteration: number; tests: FlakyTest[] }
    | { type: 'problem:found'; iteration: number; problem: Pick<Problem, 'id' | 'kind' | 'title' | 'location' | 'testFiles'> & { tests: number; /** The tests (and files) it fails, by id and title. */ failing: FailingTest[] } }
    | { type: 'problem:culprit'; iteration: number; problemId: string; culprit?: Culprit; reason?: string; runs: number }
    | { type: 'candidate:proposed'; iteration: number; problemId: string; candidateId: string; provider: string; title: string; files: string[] }
    | { type: 'candidate:rejected'; iteration: number; problemId: string; candidateId: string; reason: string }
    | { type: 'candidate:verified'; iteration: number; problemId: string; candidateId: string; verdict: VerdictKind; summary: string; cutShort?: string }
    | { type: 'candidate:decision'; iteration: number; problemId: string; candidateId: string; decision: Decision }
    | { type: 'fix:committed'; iteration: number; problemId: string; candidateId: string; sha: string; message: string; files: string[] }
    | { type: 'commit:failed'; iteration: number; problemId: string; candidateId: string; reason: string }
    | { type: 'branch:updated'; branch: string; ok: boolean; message: string }
    | { type: 'push:end'; remote: string; branch: string; ok: boolean; message: string }
    | { type: 'provider:error'; iteration: number; problemId: string; provider: string; message: string }
    | { type: 'iteration:end'; iteration: number; totals: Totals; commits: number; reports: string[] }
    | { type: 'budget:spent'; budget: string; limit: number }
    | { type: 'deploy:end'; iteration: number; ok: boolean; steps: DeployResult[] }
    | { type: 'run:end'; status: RunSummary['status']; stopReason: StopReason; error?: string; llm?: LlmSpend; commits: { sha: string; message: string; files: string[] }[]; totalsBefore: Totals; totalsAfter: Totals; reports: string[]; reportDir: string; branch: string; /** What still fails, by id and title. */ failing: FailingTest[]; blocked: BlockedSuite[] }
  );

export type LoopEventType = LoopEvent['type'];
