import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Patch } from '../model.js';

/** The patch no longer fits the files it was made for. */
export class PatchConflictError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'PatchConflictError';
  }
}

function resolveInside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  if (back.startsWith('..') || path.isAbsolute(back)) throw new PatchConflictError(rel, `Path ${rel} is outside ${root}`);
  return abs;
}

function current(abs: string): string | null {
  return existsSync(abs) ? readFileSync(abs, 'utf8') : null;
}

/**
 * Writes the patch's `after` contents under root. Every file must still hold its `before`
 * contents; otherwise nothing is written at all.
 */
export function applyPatch(root: string, patch: Patch): void {
  const targets = patch.changes.map((change) => {
    const abs = resolveInside(root, change.path);
    if (current(abs) !== change.before) {
      throw new PatchConflictError(change.path, `${change.path} has changed since the patch was made; not applied`);
    }
    return { abs, after: change.after };
  });
  for (const { abs, after } of targets) writeContent(abs, after);
}

/** Restores the patch's `before` contents under root. */
export function revertPatch(root: string, patch: Patch): void {
  for (const change of patch.changes) writeContent(resolveInside(root, change.path), change.before);
}

function writeContent(abs: string, content: string | null): void {
  if (content === null) {
    rmSync(abs, { force: true });
    return;
  }
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

/** A git-style unified diff of the whole patch. */
export function patchDiff(patch: Patch, context = 3): string {
  return patch.changes
    .map((c) => {
      const from = c.before === null ? '/dev/null' : `a/${c.path}`;
      const to = c.after === null ? '/dev/null' : `b/${c.path}`;
      const text = createTwoFilesPatch(from, to, c.before ?? '', c.after ?? '', undefined, undefined, { context });
      // jsdiff starts with an "Index:"-less header line of '='; keep the ---/+++ form git shows.
      return text.replace(/^=+\n/m, '');
    })
    .join('');
}

/** Lines added plus lines removed: the size a reviewer reads. */
export function patchSize(patch: Patch): number {
  let n = 0;
  for (const line of patchDiff(patch, 0).split('\n')) {
    if ((line.startsWith('+') && !line.startsWith('+++')) || (line.startsWith('-') && !line.startsWith('---'))) n++;
  }
  return n;
}

export function patchFiles(patch: Patch): string[] {
  return patch.changes.map((c) => c.path);
}
