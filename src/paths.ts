// Whether a path lies inside a root: the one test every place uses that must not reach outside the
// repository or a worktree (a model's paths, patches, guards, reports, programs a test starts).
import path from 'node:path';

/**
 * `target` (absolute, or relative to `root`) as a path relative to `root` with forward slashes
 * when it lies inside it ('' for `root` itself), undefined when it lies outside. `..foo` is a
 * name inside; `..` and `../foo` are not.
 */
export function relativeInside(root: string, target: string): string | undefined {
  const rel = path.relative(root, path.resolve(root, target));
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export function isInside(root: string, target: string): boolean {
  return relativeInside(root, target) !== undefined;
}

/** A file TypeScript's language service can analyse (src/analysis): JavaScript and TypeScript, with JSX. */
export const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
