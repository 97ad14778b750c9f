// Where the model may look: repository-relative paths that stay inside the root once symlinks
// are resolved, and never a file the policy calls secret.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isInside, relativeInside } from '../../paths.js';

export type Resolved = { ok: true; rel: string; abs: string } | { ok: false; reason: string };

/** A path the model gave, checked to be relative, inside root (symlinks followed) and normalised. */
export function resolveInside(root: string, given: string): Resolved {
  if (typeof given !== 'string' || given.trim() === '') return { ok: false, reason: 'path is empty' };
  if (path.isAbsolute(given) || /^[A-Za-z]:[\\/]/.test(given)) return { ok: false, reason: `${given}: paths must be relative to the repository root` };
  const base = path.resolve(root);
  const abs = path.resolve(base, given);
  const rel = relativeInside(base, abs);
  if (!rel) return { ok: false, reason: `${given}: outside the repository` };
  const real = realOrParent(abs);
  const realRoot = realOrParent(base);
  if (!isInside(realRoot, real)) return { ok: false, reason: `${given}: a symbolic link that leads outside the repository` };
  return { ok: true, rel, abs };
}

/** The real path of abs, or of its nearest existing parent (a file about to be created). */
function realOrParent(abs: string): string {
  let dir = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(dir), ...rest.reverse());
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return abs;
      rest.push(path.basename(dir));
      dir = parent;
    }
  }
}

/** Globs matched against the repository-relative path and, for patterns without a slash, the base name. */
export function denyMatcher(globs: string[]): (rel: string) => boolean {
  const full = picomatch(globs, { dot: true, nocase: true });
  const base = picomatch(
    globs.filter((g) => !g.replace(/^\*\*\//, '').includes('/')).map((g) => g.replace(/^\*\*\//, '')),
    { dot: true, nocase: true },
  );
  return (rel) => full(rel) || base(path.posix.basename(rel));
}

/** Replaces every match of the secret patterns (and the literal strings given) with [REDACTED]. */
export function redactor(patterns: string[], literals: (string | undefined)[] = []): (text: string) => string {
  const regexes = patterns.map((p) => new RegExp(p, 'g'));
  const exact = literals.filter((l): l is string => typeof l === 'string' && l.length >= 8);
  return (text) => {
    let out = text;
    for (const literal of exact) out = out.split(literal).join('[REDACTED]');
    for (const re of regexes) out = out.replace(re, '[REDACTED]');
    return out;
  };
}
