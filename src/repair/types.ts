import type { Attempt, Candidate, CodeContext, Problem } from '../model.js';

export interface ProposeContext {
  /** Root of the checkout whose code the candidates edit (paths in patches are relative to it). */
  root: string;
  /** Globs that candidates must not touch; providers may skip work that could only edit them. */
  protect: string[];
  /** The code around the problem's location, when it could be gathered. */
  context?: CodeContext;
  /** Earlier attempts on this problem, so a provider does not offer the same edit twice. */
  history: Attempt[];
  signal?: AbortSignal;
}

/** Proposes candidate fixes for one problem, best first. Never applies, verifies or commits. */
export interface PatchProvider {
  readonly name: string;
  propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate>;
}
