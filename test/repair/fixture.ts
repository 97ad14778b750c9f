// Tests edit copies of fixtures/syntax/ and fixtures/rules/ cases in temporary directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgetProject } from '../../src/analysis/project.js';
import type { Candidate, Problem, SourceLocation } from '../../src/model.js';
import { DEFAULT_PROTECT } from '../../src/policy/schema.js';
import type { PatchProvider, ProposeContext } from '../../src/repair/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const copies: string[] = [];

/** A fresh copy of fixtures/<group>/<name>. */
export function copyCase(group: 'syntax' | 'rules', name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fixloop-${group}-${name}-`));
  fs.cpSync(path.join(FIXTURES, group, name), dir, { recursive: true });
  copies.push(dir);
  return dir;
}

export function removeCases(): void {
  for (const dir of copies.splice(0)) {
    forgetProject(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function problemAt(location: SourceLocation, message: string, extra: Partial<Problem> = {}): Problem {
  return {
    id: 'problem-1',
    kind: 'reference',
    title: `${message} (${location.file}:${location.line})`,
    message,
    location,
    testIds: ['unit::test/a.test.ts::a'],
    loadFailedFiles: [],
    testFiles: ['test/a.test.ts'],
    failures: [{ message, location }],
    ...extra,
  };
}

export async function proposeAll(provider: PatchProvider, root: string, problem: Problem, options: Partial<ProposeContext> = {}): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for await (const candidate of provider.propose(problem, { root, protect: DEFAULT_PROTECT, history: [], ...options })) candidates.push(candidate);
  return candidates;
}

export function read(root: string, file: string): string {
  return fs.readFileSync(path.join(root, file), 'utf8');
}
