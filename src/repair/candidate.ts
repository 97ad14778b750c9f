// What every provider does to turn an edit into a Candidate: the id that recognises the same edit
// again, the attempts already made, the protected paths, the files a failure names.
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { AnalysisProject } from '../analysis/project.js';
import { SOURCE_FILE } from '../paths.js';
import type { Candidate, FileChange, Problem } from '../model.js';
import type { ProposeContext } from './types.js';

/** A short hash of the edit itself: the same edit, found by any route, has the same key. */
export function contentKey(changes: FileChange[]): string {
  return createHash('sha1').update(JSON.stringify(changes)).digest('hex').slice(0, 12);
}

/** `<provider>-<content key>`: history can then recognise a candidate that was already tried. */
export function candidateIdOf(provider: string, changes: FileChange[]): string {
  return `${provider}-${contentKey(changes)}`;
}

/** Ids of the candidates already tried on the problem. */
export function triedIds(ctx: ProposeContext): Set<string> {
  // A verification cut short (a suite timed out on a loaded machine) judged the machine, not the candidate.
  return new Set(ctx.history.filter((attempt) => !attempt.cutShort).map((attempt) => attempt.candidateId));
}

/** Whether a repository-relative path is protected (policy guard.protect). */
export function protectedBy(ctx: ProposeContext): (file: string) => boolean {
  return picomatch(ctx.protect, { dot: true });
}

/** The problem's location and every failure location that is a source file in the project, relative, first mention first. */
export function locatedFiles(problem: Problem, analysis: AnalysisProject): string[] {
  const files = [problem.location, ...problem.failures.map((f) => f.location)]
    .filter((loc) => loc !== undefined && SOURCE_FILE.test(loc.file) && analysis.isInside(loc.file))
    .map((loc) => analysis.relative(loc!.file));
  return [...new Set(files)];
}

export interface FixDescription {
  title: string;
  rationale: string;
  rootCause: string;
  /** The commit subject; the type is "fix". */
  subject: string;
}

/** A candidate that edits `changes` to fix the problem, with the provider's id for that edit. */
export function fixCandidate(provider: string, problem: Problem, changes: FileChange[], fix: FixDescription, id = candidateIdOf(provider, changes)): Candidate {
  return {
    id,
    problemId: problem.id,
    provider,
    title: fix.title,
    rationale: fix.rationale,
    rootCause: fix.rootCause,
    patch: { changes },
    commit: { type: 'fix', subject: fix.subject },
  };
}
