// The culprit of a problem, searched at most once per run: when the revert provider asks, or when
// the problem is left unfixed, so problems a quick fix solves cost no bisection.
import { findCulprit } from '../culprit/index.js';
import type { CulpritSearch, Problem } from '../model.js';
import type { Run } from './run.js';

/** The search for the problem's culprit (started now, or the one already made); undefined when culprit.enabled is off or the run is stopping. */
export function culpritSearch(run: Run, problem: Problem, iteration: number): Promise<CulpritSearch> | undefined {
  const { policy, root, workDir, logDir } = run.session;
  if (!policy.culprit.enabled) return undefined;
  const known = run.culprits.get(problem.id);
  if (known) return known;
  const current = run.open?.before;
  if (!current || run.signal?.aborted) return undefined;
  const search = findCulprit(problem, current, {
    repoRoot: root, workDir, suites: policy.suites, adapters: run.adapters, signal: run.signal, logDir: `${logDir}/culprit`,
    maxRuns: policy.culprit.maxRuns, maxCommits: policy.culprit.maxCommits,
  }).then(
    (found) => {
      // A repository with one commit has nothing to search: no event for it.
      if (found.culprit || found.probes.length > 0) {
        run.emit({ type: 'problem:culprit', iteration, problemId: problem.id, runs: found.runs, ...(found.culprit ? { culprit: found.culprit } : { reason: found.reason }) });
      }
      return found;
    },
    (err: Error): CulpritSearch => {
      if (run.signal?.aborted) throw err;
      const reason = `the search failed: ${err.message}`;
      run.emit({ type: 'problem:culprit', iteration, problemId: problem.id, runs: 0, reason });
      return { problemId: problem.id, reason, runs: 0, probes: [] };
    },
  );
  run.culprits.set(problem.id, search);
  return search;
}

/** The searches made for these problems, in their order, for the iteration's report. */
export async function culpritsOf(run: Run, problems: Problem[]): Promise<CulpritSearch[]> {
  const out: CulpritSearch[] = [];
  for (const p of problems) {
    const search = run.culprits.get(p.id);
    const found = search && (await search.catch(() => undefined));
    if (found && (found.culprit || found.probes.length > 0)) out.push(found);
  }
  return out;
}
