// Live progress of a running suite, read from what the runner prints as it goes: each runner's
// folder has a counter (vitest's file lines, jest's PASS/FAIL, pytest's dots, mocha's ticks).
// Only for the status line: the totals that count come from the report at the end.

export interface SuiteProgress {
  /** Tests finished so far, and how many of them failed. */
  tests?: number;
  failed?: number;
  /** Test files finished so far, and how many had a failure (runners that print files, not tests). */
  files?: number;
  failedFiles?: number;
  /** Tests the runner said it will run (pytest's "collected N items"). */
  expected?: number;
}

/** Reads output as it comes and says how far the suite has got. */
export interface ProgressCounter {
  push(text: string): SuiteProgress;
}

/** A counter fed whole lines: `read` updates the progress from each one. */
export function lineCounter(read: (line: string, progress: SuiteProgress) => void): ProgressCounter {
  let partial = '';
  const progress: SuiteProgress = {};
  return {
    push(text) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) read(line.replace(/\r$/, ''), progress);
      return { ...progress };
    },
  };
}

export const add = (progress: SuiteProgress, key: keyof SuiteProgress, n: number): void => {
  progress[key] = (progress[key] ?? 0) + n;
};
