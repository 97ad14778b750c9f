import { realpathSync, existsSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { structuredPatch } from 'diff';
import type { FileChange, Patch } from '../model.js';
import { harnessReason, TEST_DETECTION } from './harness.js';
import { isInside } from '../paths.js';

export interface GuardResult {
  allowed: boolean;
  reason?: string;
}

export interface GuardOptions {
  /** Globs never edited (policy `guard.protect`). */
  protect: string[];
  /** The checkout the patch applies to: paths are resolved there, symlinks included. */
  root?: string;
  /** Added plus removed lines. */
  maxPatchLines?: number;
  maxFiles?: number;
  /** Escape hatches are rejected unless the policy allows them. */
  allowEscapeHatches?: boolean;
  /** Globs of the test harness (policy `guard.harness`); DEFAULT_HARNESS when absent. */
  harness?: string[];
  /** Source edits that detect the test runner are rejected unless the policy allows them. */
  allowTestDetection?: boolean;
}

/** Matches repository-relative paths against the policy's protect globs. */
export function protectedMatcher(globs: string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs, { dot: true });
}

/** Changes that switch tests off or hide them: rejected in any file, protected or not. */
const TAMPERING: [RegExp, string][] = [
  [/\b(it|test|describe|suite|context)\s*\.\s*(skip|only|todo|skipIf|runIf)\b/, 'skips or focuses tests'],
  [/\b(xit|xtest|xdescribe|fit|fdescribe)\s*\(/, 'skips or focuses tests'],
  [/@pytest\.mark\.(skip|skipif|xfail)\b/, 'skips tests'],
  [/\bpytest\.skip\s*\(/, 'skips tests'],
  [/@unittest\.skip/, 'skips tests'],
];

const ESCAPE_HATCHES: [RegExp, string][] = [
  [/@ts-(ignore|expect-error|nocheck)\b/, 'silences the type checker'],
  [/\bas\s+any\b/, "casts to 'any'"],
  [/eslint-disable/, 'disables the linter'],
  [/#\s*type:\s*ignore\b/, 'silences the type checker'],
  [/#\s*noqa\b/, 'silences the linter'],
  [/catch\s*(\(\s*\w*\s*\))?\s*\{\s*\}/, 'swallows errors in an empty catch'],
];

/**
 * Python excepts that swallow errors: a bare `except:`, or one whose whole body is `pass` (on its
 * line or the next). The colon is optional so that restoring the colon a header lost (a syntax
 * repair) neither adds nor removes one; a typed header alone (`except ValueError as exc:`) is none.
 */
function swallowingExcepts(lines: string[]): number {
  let found = 0;
  for (const [i, line] of lines.entries()) {
    const header = /^\s*except\b([^:]*):?\s*(.*)$/.exec(line);
    if (!header) continue;
    const body = (header[2].trim() || lines[i + 1]?.trim()) ?? '';
    if (header[1].trim() === '' || body === 'pass') found++;
  }
  return found;
}

const TEST_FILE = picomatch(['**/*.test.*', '**/*.spec.*', '**/test_*.py', '**/*_test.py', '**/*_test.go', '**/test/**', '**/tests/**', '**/__tests__/**'], { dot: true });

function changedLines(change: FileChange): { added: string[]; removed: string[] } {
  const diff = structuredPatch(change.path, change.path, change.before ?? '', change.after ?? '', undefined, undefined, { context: 0 });
  const added: string[] = [];
  const removed: string[] = [];
  for (const hunk of diff.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added.push(line.slice(1));
      else if (line.startsWith('-')) removed.push(line.slice(1));
    }
  }
  return { added, removed };
}

function count(lines: string[], pattern: RegExp): number {
  return lines.filter((l) => pattern.test(l)).length;
}

function outsideRoot(root: string, rel: string): boolean {
  if (!isInside(root, rel)) return true;
  const abs = path.resolve(root, rel);
  // A symlinked folder inside the repository may point anywhere: resolve the deepest existing parent.
  let probe = abs;
  while (!existsSync(probe) && probe !== root) probe = path.dirname(probe);
  return !isInside(realpathSync(root), realpathSync(probe));
}

/** Every candidate passes here before it is verified; the first reason found is returned. */
export function guardPatch(patch: Patch, options: GuardOptions | string[]): GuardResult {
  const opts: GuardOptions = Array.isArray(options) ? { protect: options } : options;
  const deny = (reason: string): GuardResult => ({ allowed: false, reason });
  if (patch.changes.length === 0) return deny('the patch changes nothing');
  if (opts.maxFiles !== undefined && patch.changes.length > opts.maxFiles) {
    return deny(`the patch changes ${patch.changes.length} files; the limit is ${opts.maxFiles} (repair.maxFiles)`);
  }
  const isProtected = protectedMatcher(opts.protect);
  let size = 0;
  for (const change of patch.changes) {
    const file = change.path;
    if (file.startsWith('/') || file.split('/').includes('..') || (opts.root && outsideRoot(opts.root, file))) {
      return deny(`${file} is outside the repository`);
    }
    if (isProtected(file)) return deny(`${file} is a protected path`);
    if (change.before === change.after) return deny(`${file} is listed but unchanged`);
    if (change.after?.includes('\u0000')) return deny(`${file} would become a binary file`);
    const harness = harnessReason(change, { globs: opts.harness, root: opts.root });
    if (harness) return deny(harness);
    if (change.after === null && TEST_FILE(file)) return deny(`${file} is a test file and would be deleted`);
    const { added, removed } = changedLines(change);
    size += added.length + removed.length;
    for (const [pattern, what] of TAMPERING) {
      if (count(added, pattern) > count(removed, pattern)) return deny(`${file}: the change ${what}`);
    }
    if (TEST_FILE(file)) {
      const tests = /\b(it|test)\s*\(|^\s*def test_/;
      if (count(removed, tests) > count(added, tests)) return deny(`${file}: the change deletes or renames tests`);
      const asserts = /\b(expect|assert)\b/;
      if (count(removed, asserts) > count(added, asserts)) return deny(`${file}: the change deletes assertions`);
    }
    if (!opts.allowTestDetection) {
      for (const [pattern, what] of TEST_DETECTION) {
        if (count(added, pattern) > count(removed, pattern)) return deny(`${file}: the change ${what}`);
      }
    }
    if (!opts.allowEscapeHatches) {
      for (const [pattern, what] of ESCAPE_HATCHES) {
        if (count(added, pattern) > count(removed, pattern)) return deny(`${file}: the change ${what}`);
      }
      if (swallowingExcepts(added) > swallowingExcepts(removed)) return deny(`${file}: the change swallows errors in a bare except`);
    }
  }
  if (opts.maxPatchLines !== undefined && size > opts.maxPatchLines) {
    return deny(`the patch changes ${size} lines; the limit is ${opts.maxPatchLines} (repair.maxPatchLines)`);
  }
  return { allowed: true };
}
