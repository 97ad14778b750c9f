import type { SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';

export interface RunOptions {
  /** Root of the checkout to test (the repository or a verification worktree). Paths in the result are relative to it. */
  cwd: string;
  /** Restrict the run to these test files (repository-relative). Undefined: the whole suite. */
  files?: string[];
  /** Where to write the suite's full output. */
  logFile?: string;
  signal?: AbortSignal;
  /** Extra environment for the command. */
  env?: Record<string, string>;
}

/** Runs one suite and reads its results into the shared model. */
export interface TestRunnerAdapter {
  readonly format: string;
  run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun>;
}
