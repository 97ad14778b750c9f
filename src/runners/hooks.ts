// A test file that loaded, whose tests were collected, and that still failed as a whole: one of
// its hooks threw. vitest and jest name no hook (vitest skips the tests of a failed beforeAll,
// jest fails them; a failed afterAll fails the file), mocha names it in a test's title.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HookName, SourceLocation, TestStatus } from '../model.js';

const HOOK_CALL = /\b(beforeAll|afterAll|beforeEach|afterEach|before|after)\s*\(/g;
const MOCHA_NAMES: Record<string, HookName> = {
  before: 'beforeAll',
  after: 'afterAll',
  'before all': 'beforeAll',
  'after all': 'afterAll',
  'before each': 'beforeEach',
  'after each': 'afterEach',
};
// How far above the failing line a hook's call may start: a hook body longer than this is rare.
const LOOK_BACK = 60;

function asHook(name: string): HookName {
  return MOCHA_NAMES[name] ?? (name as HookName);
}

/** mocha's title for a failed hook: `"before all" hook for "reads"`, `"after each" hook: named for "x"`. */
export function mochaHook(title: string): HookName | undefined {
  const match = /^"(before all|after all|before each|after each)" hook\b/.exec(title);
  return match ? MOCHA_NAMES[match[1]] : undefined;
}

/** The hook whose call encloses the test file's failing line: the nearest hook call at or above it. */
function hookInSource(root: string, at: SourceLocation): HookName | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.resolve(root, at.file), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  for (let i = Math.min(at.line, lines.length) - 1; i >= Math.max(0, at.line - LOOK_BACK); i--) {
    const calls = [...lines[i].matchAll(HOOK_CALL)];
    if (calls.length > 0) return asHook(calls[calls.length - 1][1]);
    if (i < at.line - 1 && /^\s*(?:it|test|describe|suite)(?:\.\w+)?\s*\(/.test(lines[i])) return undefined;
  }
  return undefined;
}

/**
 * The hook that failed a file whose collected tests ended with these statuses, or undefined when
 * nothing was collected (the file did not load). The test file's frame of the error says which
 * hook when the source can be read; else a file whose tests all went unrun failed before them.
 */
export function failedHook(statuses: TestStatus[], root: string, testFrame: SourceLocation | undefined): HookName | undefined {
  if (statuses.length === 0) return undefined;
  const found = testFrame && hookInSource(root, testFrame);
  if (found) return found;
  return statuses.every((s) => s === 'skipped' || s === 'todo') ? 'beforeAll' : 'afterAll';
}
