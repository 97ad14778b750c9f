import type { Attempt, Candidate, CodeContext, Culprit, LlmSpend, LoopEvent, Problem } from '../model.js';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What a provider may add to the run's event stream (and journal): model usage and notices. */
export type ProviderEvent = DistributiveOmit<Extract<LoopEvent, { type: 'llm:usage' | 'llm:notice' }>, 'runId' | 'at'>;

export interface ProposeContext {
  /** Root of the checkout whose code the candidates edit (paths in patches are relative to it). */
  root: string;
  /** Globs that candidates must not touch; providers may skip work that could only edit them. */
  protect: string[];
  /** Globs of the test harness (policy guard.harness), never edited whatever `protect` says; absent outside a loop. */
  harness?: string[];
  /** The code around the problem's location, when it could be gathered. */
  context?: CodeContext;
  /** Earlier attempts on this problem, so a provider does not offer the same edit twice. */
  history: Attempt[];
  signal?: AbortSignal;
  /** Adds an event to the run's stream; absent outside a loop. */
  emit?: (event: ProviderEvent) => void;
  /**
   * The commit that made the problem's tests fail (src/culprit), searched on the first call and
   * remembered for the run; undefined when none was found. Absent outside a loop or with
   * culprit.enabled off.
   */
  culprit?: () => Promise<Culprit | undefined>;
}

/** What a provider is told when the run starts. */
export interface ProviderStart {
  /**
   * The events providers emitted before, when the run is resumed (empty otherwise): what was
   * spent then stays spent.
   */
  earlier: ProviderEvent[];
  /** Tells the run something before any problem is asked about. */
  emit?: (event: ProviderEvent) => void;
}

/** What a provider adds to the run summary when the run ends. */
export interface ProviderSummary {
  /** The model's spend, when the provider called one. */
  llm?: LlmSpend;
}

/**
 * Proposes candidate fixes for one problem, best first. Never applies, verifies or commits.
 * The lifecycle hooks are optional; the loop calls them on every provider of the run.
 */
export interface PatchProvider {
  /**
   * Its candidates come from fixed rules over the code (a compiler's fixes, AST rewrites), not from
   * a model: with verify.sandbox.scope "model" (the default) they are verified outside the sandbox,
   * like the project's own tooling. Absent: treated as untrusted.
   */
  readonly deterministic?: boolean;
  readonly name: string;
  propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate>;
  /** Once, before the first iteration. */
  start?(run: ProviderStart): void | Promise<void>;
  /** At the start of each iteration, before its suites run. */
  iterationStart?(iteration: number): void | Promise<void>;
  /** Once, however the run ended (the worktree and lock are released first); what it returns goes into the run summary. */
  stop?(): ProviderSummary | undefined | Promise<ProviderSummary | undefined>;
}
