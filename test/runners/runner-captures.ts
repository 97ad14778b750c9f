// Loads the real captures of jest, node:test and pytest in fixtures/<runner>/<case>/ with a root of the test's choosing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadFailure, TestCase } from '../../src/model.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const ROOT = '/repo';
export const CTX = { root: ROOT, runDir: ROOT };

export function readCapture(runner: string, name: string, file: string, root = ROOT): string {
  return readFileSync(`${FIXTURES}${runner}/${name}/${file}`, 'utf8').replaceAll('<ROOT>', root);
}

const at = (l?: { file: string; line: number; column?: number }) => l && `${l.file}:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`;

/** What the tests assert: id, status, declared line, message, error class and where it broke. */
export function brief(results: { tests: TestCase[]; loadFailures: LoadFailure[] }) {
  return {
    tests: results.tests.map((t) => [t.id, t.status, t.location?.line, t.failure?.message, t.failure?.errorName, at(t.failure?.location)]),
    loadFailures: results.loadFailures.map((l) => [l.file, l.failure.message, l.failure.errorName, at(l.failure.location)]),
  };
}
