import { describe, expect, it } from 'vitest';
import { searchFirstBad, type Outcome } from '../../src/culprit/search.js';

/** Commits c0 (head) … c<n-1>, newest first, with the outcome of each. */
function history(outcomes: Outcome[]) {
  const commits = outcomes.map((_, i) => `c${i}`);
  const probed: string[] = [];
  const probe = async (sha: string) => {
    probed.push(sha);
    return outcomes[Number(sha.slice(1))];
  };
  return { commits, probed, probe };
}

const F: Outcome = 'fail';
const P: Outcome = 'pass';

describe('searchFirstBad', () => {
  it('finds a regression three commits back in a five-commit history in three runs: back in growing steps (1, 3), then the oldest', async () => {
    const h = history([F, F, F, F, P]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 3, lastGood: 4, lastGoodOutcome: 'pass', runs: 3 });
    expect(h.probed).toEqual(['c1', 'c3', 'c4']);
  });

  it('halves the gap once a passing commit is found', async () => {
    const h = history([F, F, F, F, P, P, P, P, P, P]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 3, lastGood: 4, runs: 5 });
    expect(h.probed).toEqual(['c1', 'c3', 'c7', 'c5', 'c4']);
  });

  it('names the head itself when its parent passes: one run', async () => {
    const h = history([F, P, P, P]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 0, lastGood: 1, runs: 1 });
    expect(h.probed).toEqual(['c1']);
  });

  it('finds a regression 40 commits back in at most 2·log2(40) runs', async () => {
    const outcomes: Outcome[] = Array.from({ length: 60 }, (_, i) => (i <= 40 ? F : P));
    const h = history(outcomes);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 12, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 40, lastGood: 41 });
    expect(found.runs).toBeLessThanOrEqual(12);
  });

  it('reaches a regression anywhere in a 50-commit window (culprit.maxCommits) within the default 12 runs', async () => {
    for (const depth of [1, 2, 15, 16, 31, 32, 49, 50]) {
      const h = history(Array.from({ length: 51 }, (_, i) => (i < depth ? F : P)));
      const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 12, probe: h.probe });
      expect(found).toMatchObject({ firstBad: depth - 1, lastGood: depth });
    }
  });

  it('answers from the loop\'s earlier runs alone when they saw the tests pass at the parent and fail at the child', async () => {
    const h = history([F, F, F, P, P]);
    const known = new Map<string, Outcome>([['c2', 'fail'], ['c3', 'pass']]);
    const found = await searchFirstBad({ commits: h.commits, known, maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 2, lastGood: 3, runs: 0 });
    expect(found.probes).toEqual([
      { sha: 'c3', outcome: 'pass', from: 'earlier-run' },
      { sha: 'c2', outcome: 'fail', from: 'earlier-run' },
    ]);
  });

  it('bisects only between what the earlier runs knew', async () => {
    const h = history([F, F, F, F, F, F, F, P, P, P, P, P, P, P, P, P]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map<string, Outcome>([['c9', 'pass']]), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 6, lastGood: 7 });
    expect(h.probed).toEqual(['c4', 'c6', 'c7']);
  });

  it('says the tests never passed when, before the first failing commit, they did not exist', async () => {
    const h = history([F, F, 'absent', 'absent']);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 1, lastGood: 2, lastGoodOutcome: 'absent' });
  });

  it('steps over commits whose suite could not run', async () => {
    const h = history([F, 'unknown', F, P, P]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toMatchObject({ firstBad: 2, lastGood: 3 });
    expect(h.probed).toEqual(['c1', 'c2', 'c4', 'c3']);
  });

  it('stops at culprit.maxRuns, saying so', async () => {
    const h = history(Array.from({ length: 30 }, (_, i) => (i < 20 ? F : P)));
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 2, probe: h.probe });
    expect(found.firstBad).toBeUndefined();
    expect(found.runs).toBe(2);
    expect(found.reason).toBe('culprit.maxRuns was spent before a commit where the tests pass was found');
  });

  it('stops at the end of the window (culprit.maxCommits) when every commit fails', async () => {
    const h = history([F, F, F, F]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found.reason).toBe('the tests fail at every one of the 4 commits searched (culprit.maxCommits)');
    expect(h.probed).toEqual(['c1', 'c3']);
  });

  it('has nothing to search in a repository with one commit', async () => {
    const h = history([F]);
    const found = await searchFirstBad({ commits: h.commits, known: new Map(), maxRuns: 8, probe: h.probe });
    expect(found).toEqual({ reason: 'the head has no earlier commit to compare with', runs: 0, probes: [] });
  });
});
