// The search for the first failing commit on a first-parent line, over outcomes a probe tells:
// backwards in growing steps from the head until the tests pass (a regression is usually recent),
// then halving the gap. Pure over `probe`, so the arithmetic is tested without git.

export type Outcome = 'pass' | 'fail' | 'absent' | 'unknown';

export interface SearchInput {
  /** The head and its first-parent ancestors, newest first; the head's tests fail. */
  commits: string[];
  /** Outcomes already known (the loop's earlier runs): free. */
  known: Map<string, Outcome>;
  /** Probes the search may run. */
  maxRuns: number;
  probe(sha: string): Promise<Outcome>;
  /** An outcome git alone can tell (the tests' files do not exist yet): no run. */
  free?(sha: string): Promise<Outcome | undefined>;
}

export interface SearchResult {
  /** Index in `commits` of the first failing commit, when its parent is known not to fail. */
  firstBad?: number;
  /** Index of that parent: the tests pass there, or are absent (they did not exist yet). */
  lastGood?: number;
  lastGoodOutcome?: 'pass' | 'absent';
  /** Why the search stopped without a boundary. */
  reason?: string;
  runs: number;
  probes: { sha: string; outcome: Outcome; from: 'run' | 'earlier-run' | 'history' }[];
}

const passes = (o: Outcome | undefined): o is 'pass' | 'absent' => o === 'pass' || o === 'absent';

export async function searchFirstBad(input: SearchInput): Promise<SearchResult> {
  const { commits, known } = input;
  const outcome = new Map<number, Outcome>([[0, 'fail']]);
  const probes: SearchResult['probes'] = [];
  let runs = 0;
  const at = async (i: number): Promise<Outcome> => {
    const was = outcome.get(i);
    if (was) return was;
    const remembered = known.get(commits[i]);
    if (remembered && remembered !== 'unknown') {
      outcome.set(i, remembered);
      probes.push({ sha: commits[i], outcome: remembered, from: 'earlier-run' });
      return remembered;
    }
    const told = await input.free?.(commits[i]);
    if (told) {
      outcome.set(i, told);
      probes.push({ sha: commits[i], outcome: told, from: 'history' });
      return told;
    }
    runs++;
    const o = await input.probe(commits[i]);
    outcome.set(i, o);
    probes.push({ sha: commits[i], outcome: o, from: 'run' });
    return o;
  };
  const canRun = () => runs < input.maxRuns;
  const result = (r: Omit<SearchResult, 'runs' | 'probes'>): SearchResult => ({ ...r, runs, probes });

  if (commits.length < 2) return result({ reason: 'the head has no earlier commit to compare with' });
  // Earlier runs first: the newest known pass bounds the search, the nearest known failure before it narrows it.
  let good = commits.findIndex((sha, i) => i > 0 && passes(known.get(sha)));
  let bad = 0;
  if (good > 0) {
    for (let i = 1; i < good; i++) if (known.get(commits[i]) === 'fail') bad = i;
    await at(good);
    if (bad > 0) await at(bad);
  } else {
    good = -1;
    for (let step = 1, i = 1; ; step *= 2) {
      const probe = await nextTestable(i, commits.length - 1);
      if (probe === undefined) return result({ reason: stopReason(commits.length - 1, canRun()) });
      if (passes(outcome.get(probe))) {
        good = probe;
        break;
      }
      bad = probe;
      if (bad === commits.length - 1) return result({ reason: `the tests fail at every one of the ${commits.length} commits searched (culprit.maxCommits)` });
      i = Math.min(bad + step * 2, commits.length - 1);
    }
  }
  while (good - bad > 1) {
    const mid = Math.floor((bad + good) / 2);
    const probe = await testableNear(mid, bad, good);
    if (probe === undefined) {
      const why = canRun() ? 'the commits between could not be tested' : 'culprit.maxRuns was spent';
      return result({ reason: `the tests broke between ${short(commits[good])} and ${short(commits[bad])}, ${why}` });
    }
    if (outcome.get(probe) === 'fail') bad = probe;
    else good = probe;
  }
  return result({ firstBad: bad, lastGood: good, lastGoodOutcome: outcome.get(good) as 'pass' | 'absent' });

  /** From index i back to `last`, the first commit whose outcome is pass, absent or fail (unknown ones are stepped over). */
  async function nextTestable(i: number, last: number): Promise<number | undefined> {
    for (let j = i; j <= last; j++) {
      if (!outcome.has(j) && !known.has(commits[j]) && !canRun()) return undefined;
      if ((await at(j)) !== 'unknown') return j;
    }
    return undefined;
  }

  /** A commit strictly between bad and good with a usable outcome, nearest `mid` first. */
  async function testableNear(mid: number, lo: number, hi: number): Promise<number | undefined> {
    for (let d = 0; mid - d > lo || mid + d < hi; d++) {
      for (const j of d === 0 ? [mid] : [mid + d, mid - d]) {
        if (j <= lo || j >= hi) continue;
        if (outcome.get(j) === 'unknown') continue;
        if (!outcome.has(j) && !known.has(commits[j]) && !canRun()) return undefined;
        if ((await at(j)) !== 'unknown') return j;
      }
    }
    return undefined;
  }
}

function stopReason(last: number, runsLeft: boolean): string {
  return runsLeft ? `no commit among the ${last + 1} searched could run the tests` : 'culprit.maxRuns was spent before a commit where the tests pass was found';
}

export function short(sha: string): string {
  return sha.slice(0, 8);
}
