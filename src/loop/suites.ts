// Testing the loop's head: every suite, with its events, while the TypeScript program is built
// alongside on the first iteration.
import type { SuiteRun, TestRun } from '../model.js';
import { runSuites, type SuiteProgress } from '../runners/index.js';
import type { Run } from './run.js';

const WARM_AFTER_MS = 1500;

export async function testHead(run: Run, iteration: number): Promise<TestRun> {
  const running = runAllSuites(run, iteration);
  // Building the TypeScript program takes a second or two of CPU; the suites run in another process, so
  // do it meanwhile rather than after them, when the providers need it. Loading ts-morph alone holds
  // this process for about a second, so only suites still running after WARM_AFTER_MS get it: a
  // short run that ends green then never pays for it.
  let ran = false;
  const warm = iteration === 1 && run.warmAnalysis ? setTimeout(() => void warmAnalysis(run.session.workDir, () => ran), WARM_AFTER_MS) : undefined;
  const tested = await running;
  ran = true;
  clearTimeout(warm);
  return tested;
}

async function runAllSuites(run: Run, iteration: number): Promise<TestRun> {
  const { policy, workDir, logDir } = run.session;
  run.emit({ type: 'suites:start', iteration, suites: policy.suites.map((s) => s.name) });
  const tested = await runSuites(policy.suites, {
    cwd: workDir,
    logDir,
    // No in-run retries (vitest's --retry) here: this run's totals are the user's command's. A
    // retried attempt runs while the timed-out one's work goes on (a checker's agent process, a
    // server), so the tests after it would see a machine the user's run never does.
    signal: run.signal,
    adapters: run.adapters,
    onSuiteEnd: (s: SuiteRun) => run.emit({ type: 'suite:end', iteration, suite: s.suite, totals: s.totals, durationMs: s.durationMs, blocker: s.blocker }),
    onProgress: throttled((suite, progress) => run.emit({ type: 'suite:progress', iteration, suite, ...progress }), PROGRESS_EVERY_MS),
  });
  run.emit({ type: 'suites:end', iteration, totals: tested.totals, durationMs: tested.durationMs });
  return tested;
}

const PROGRESS_EVERY_MS = 1000;

/** Calls `fn` at most once per `ms` for each suite, with the newest progress; a change of suite goes through at once. */
function throttled(fn: (suite: string, progress: SuiteProgress) => void, ms: number): (suite: string, progress: SuiteProgress) => void {
  let last = { suite: '', at: 0, shown: '' };
  return (suite, progress) => {
    const now = Date.now();
    const shown = JSON.stringify(progress);
    if (shown === '{}' || (suite === last.suite && (now - last.at < ms || shown === last.shown))) return;
    last = { suite, at: now, shown };
    fn(suite, progress);
  };
}

/**
 * Builds the TypeScript program, then type-checks the repository's files one at a time until
 * `done()`, yielding between files so the suites' output keeps flowing: the checker keeps what it
 * found, and the providers' first questions are answered from it.
 */
async function warmAnalysis(root: string, done: () => boolean): Promise<void> {
  try {
    const { projectFor } = await import('../analysis/index.js');
    if (done()) return;
    const analysis = projectFor(root);
    analysis.languageService.getProgram()?.getTypeChecker();
    // ts-morph's own program answers getType()/getSymbol(): bind it too.
    void analysis.project.getTypeChecker().compilerObject;
    for (const sf of analysis.project.getSourceFiles()) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done()) return;
      const file = sf.getFilePath();
      if (!sf.isDeclarationFile() && analysis.isInside(file) && !file.includes('/node_modules/')) analysis.rawDiagnostics(file);
    }
  } catch {
    // Only a head start: the providers load what they need themselves.
  }
}
