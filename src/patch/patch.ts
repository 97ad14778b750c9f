import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch, diffArrays } from 'diff';
import type { Patch } from '../model.js';
import { isInside } from '../paths.js';

/** The patch no longer fits the files it was made for. */
export class PatchConflictError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'PatchConflictError';
  }
}

function resolveInside(root: string, rel: string): string {
  if (!isInside(root, rel)) throw new PatchConflictError(rel, `Path ${rel} is outside ${root}`);
  return path.resolve(root, rel);
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
  writeFileSync(abs, existsSync(abs) ? keepBytes(readFileSync(abs), content) : content);
}

/**
 * The file's new contents as bytes, where every line the edit did not touch keeps its exact
 * bytes: patches are made on text decoded as UTF-8, which turns a byte that is not UTF-8 into
 * U+FFFD, and providers write "\n" where a file may use "\r\n". Splitting the raw bytes on "\n"
 * gives the same lines as splitting the decoded text, since no UTF-8 sequence contains that byte.
 */
export function keepBytes(raw: Buffer, after: string): Buffer {
  const rawLines = splitBytes(raw);
  const beforeLines = rawLines.map((line) => line.toString('utf8'));
  const crlf = beforeLines.length > 1 && beforeLines.slice(0, -1).every((line) => line.endsWith('\r\n'));
  const parts: Buffer[] = [];
  let at = 0;
  for (const part of diffArrays(beforeLines, splitText(after))) {
    if (part.removed) at += part.count ?? part.value.length;
    else if (part.added) {
      const text = part.value.join('');
      parts.push(Buffer.from(crlf ? text.replace(/(?<!\r)\n/g, '\r\n') : text, 'utf8'));
    } else {
      const n = part.count ?? part.value.length;
      parts.push(...rawLines.slice(at, at + n));
      at += n;
    }
  }
  return Buffer.concat(parts);
}

function splitBytes(raw: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(10); i !== -1; i = raw.indexOf(10, start)) {
    lines.push(raw.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < raw.length) lines.push(raw.subarray(start));
  return lines;
}

function splitText(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
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
