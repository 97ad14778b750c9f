// Tests a candidate lets run for the first time (their file failed to load in the baseline) have
// no baseline to be judged against: a fix that makes the file parse again but leaves a wrong
// expression in it would pass for "fixed". They are judged against the last commit where they
// ran: before the latest commits that changed what the candidate edits (the fault is among them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestRun } from '../model.js';
import type { SuiteConfig } from '../policy/index.js';
import { runSuites } from '../runners/index.js';
import type { TestRunnerAdapter } from '../runners/types.js';
import { outcomes } from '../test-run.js';
import { addWorktree, git, removeWorktree } from '../vcs/index.js';

/** A run of some test files at an earlier commit. */
export interface HistoryRun {
  sha: string;
  run: TestRun;
}

export interface HistoryOptions {
  repoRoot: string;
  suites: SuiteConfig[];
  adapters?: Record<string, TestRunnerAdapter>;
  logDir?: string;
  signal?: AbortSignal;
  /** Earlier commits tried, newest first, for one where the files run (default 2: each costs a run). */
  depth?: number;
}

/** Test files of a suite, relative to the repository, as a baseline's load failures name them. */
export interface SuiteFiles {
  suite: string;
  files: string[];
}

/**
 * The runs at earlier commits, made once per (commit, files) and shared by every candidate and
 * provider of the loop: candidates verified at once ask for the same history at the same time.
 */
export class TestHistory {
  private readonly cache = new Map<string, Promise<TestRun | undefined>>();
  constructor(private readonly options: HistoryOptions) {}

  /**
   * The last commit before `ref` where `wanted` ran (loaded and had tests), looking at the parents
   * of the latest commits that changed `changed`; undefined when none within `depth` did.
   */
  async lastRun(ref: string, changed: string[], wanted: SuiteFiles[]): Promise<HistoryRun | undefined> {
    if (changed.length === 0 || wanted.length === 0) return undefined;
    const root = this.options.repoRoot;
    const log = await git(root)
      .raw(['log', `-n${this.options.depth ?? 2}`, '--format=%H', ref, '--', ...changed])
      .catch(() => '');
    for (const touched of log.split('\n').filter(Boolean)) {
      const parent = await git(root)
        .raw(['rev-parse', '--verify', '--quiet', `${touched}^`])
        .then((s) => s.trim(), () => '');
      if (!parent) return undefined; // the files' first commit: they never ran before it
      const run = await this.runAt(parent, wanted);
      if (run && ranAll(run, wanted)) return { sha: parent, run };
    }
    return undefined;
  }

  private runAt(sha: string, wanted: SuiteFiles[]): Promise<TestRun | undefined> {
    const key = JSON.stringify([sha, wanted]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.run(sha, wanted);
      this.cache.set(key, pending);
    }
    return pending;
  }

  private async run(sha: string, wanted: SuiteFiles[]): Promise<TestRun | undefined> {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-history-')), 'tree');
    const { adapters, logDir, signal } = this.options;
    try {
      await addWorktree(this.options.repoRoot, dir, sha);
      const suites = this.options.suites.filter((s) => wanted.some((w) => w.suite === s.name));
      const runs: TestRun[] = [];
      for (const suite of suites) {
        const files = wanted.find((w) => w.suite === suite.name)!.files;
        runs.push(await runSuites([suite], { cwd: dir, files, adapters, signal, ...(logDir ? { logDir: path.join(logDir, 'history') } : {}) }));
      }
      return { startedAt: runs[0]?.startedAt ?? new Date().toISOString(), durationMs: 0, suites: runs.flatMap((r) => r.suites), totals: runs[0]?.totals ?? { tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 0 } };
    } catch (err) {
      if (signal?.aborted) throw err;
      return undefined; // no history is a weaker judgement, never a failed verification
    } finally {
      await removeWorktree(this.options.repoRoot, dir);
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }
}

/** Every wanted file loaded and ran at least one test. */
function ranAll(run: TestRun, wanted: SuiteFiles[]): boolean {
  return wanted.every(({ suite, files }) => {
    const s = run.suites.find((r) => r.suite === suite);
    return !!s && !s.blocker && files.every((f) => !s.loadFailures.some((lf) => lf.file === f) && s.tests.some((t) => t.file === f));
  });
}

/** The unmasked tests (in `files` of the baseline's load failures) failing in `run` that passed in `history`. */
export function worseThanHistory(run: TestRun, history: TestRun, unmasked: SuiteFiles[]): string[] {
  const passedThen = outcomes(history).passed;
  const inFiles = new Set(unmasked.flatMap((u) => u.files.map((f) => `${u.suite}::${f}`)));
  const now = outcomes(run);
  return [...now.failing].filter((id) => passedThen.has(id) && inFiles.has(id.slice(0, id.indexOf('::', id.indexOf('::') + 2))));
}
