import picomatch from 'picomatch';
import type { Patch } from '../model.js';

export interface GuardResult {
  allowed: boolean;
  reason?: string;
}

/** Matches repository-relative paths against the policy's protect globs. */
export function protectedMatcher(globs: string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs, { dot: true });
}

/** Every candidate passes here before it is verified. */
export function guardPatch(patch: Patch, protect: string[]): GuardResult {
  if (patch.changes.length === 0) return { allowed: false, reason: 'the patch changes nothing' };
  const isProtected = protectedMatcher(protect);
  for (const change of patch.changes) {
    if (change.path.startsWith('/') || change.path.split('/').includes('..')) {
      return { allowed: false, reason: `${change.path} is outside the repository` };
    }
    if (isProtected(change.path)) return { allowed: false, reason: `${change.path} is a protected path` };
    if (change.before === change.after) return { allowed: false, reason: `${change.path} is listed but unchanged` };
  }
  return { allowed: true };
}
