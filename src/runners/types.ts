import type { SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';

export interface RunOptions {
  /** Root of the checkout to test (the repository or a verification worktree). Paths in the result are relative to it. */
  cwd: string;
  /** Restrict the run to these test files (repository-relative). Undefined: the whole suite. */
  files?: string[];
  /**
   * Restrict the run further to these tests of `files`, by name. An adapter that cannot select
   * tests by name runs their files and says so in `warnings`.
   */
  tests?: TestSelection[];
  /**
   * Run a failing test up to this many more times within the run, when the runner can (vitest's
   * `--retry`): the tests then carry `attempts`. Other adapters ignore it.
   */
  retries?: number;
  /** Where to write the suite's full output. */
  logFile?: string;
  signal?: AbortSignal;
  /** Extra environment for the command. */
  env?: Record<string, string>;
  /** Receives the suite's output as it comes (colour codes removed), for live progress. */
  onOutput?: (text: string) => void;
}

/** One test to run: its file (repository-relative) and its full name (describe blocks and title joined by " > "). */
export interface TestSelection {
  file: string;
  fullName: string;
}

/** Runs one suite and reads its results into the shared model. */
export interface TestRunnerAdapter {
  readonly format: string;
  run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun>;
}
