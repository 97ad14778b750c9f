// Workspace packages in a worktree: the package managers of monorepos (npm, yarn and pnpm
// workspaces) link each package into node_modules (`node_modules/@scope/pkg -> ../../packages/pkg`).
// Provided as-is, those links lead out of the worktree into the user's checkout, so the tests in
// the worktree would import the checkout's sources, not the candidate's. They are pointed at the
// worktree's own copy instead, which then needs the build output the checkout has for it
// (`dist/` written by `preconstruct dev`, `tsc -b` and the like: ignored by git, named by the
// package's main/exports).
import { cpSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The repository-relative directories that links into the checkout pointed at, collected while linking. */
export type LinkedPackages = Set<string>;

/**
 * Where a link in the worktree's node_modules should lead for the checkout's entry `from`: the
 * same path in the worktree when `from` resolves inside the checkout outside any dependency
 * folder (a workspace package, or a file of one), else `from` itself.
 */
export function linkTarget(from: string, root: string, dir: string, linked: LinkedPackages): string {
  let real: string;
  let realRoot: string;
  try {
    real = realpathSync(from);
    realRoot = realpathSync(root);
  } catch {
    return from;
  }
  const rel = path.relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return from;
  if (rel.split(path.sep).some((part) => part === 'node_modules' || part === '.venv' || part === 'venv')) return from;
  linked.add(packageDirOf(realRoot, rel));
  return path.join(dir, rel);
}

/** The nearest directory at or above `rel` with a package.json (for a linked bin file: its package). */
function packageDirOf(root: string, rel: string): string {
  for (let at = rel; at !== '.' && at !== ''; at = path.dirname(at)) {
    if (existsSync(path.join(root, at, 'package.json'))) return at;
  }
  return rel;
}

/** The files a package's entry points name, relative to it: "dist/index.js", "web/dist/server.js". */
function entryPaths(pkgJson: unknown): string[] {
  const paths: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const rel = path.posix.normalize(value.replace(/^\.\//, ''));
      if (rel.includes('/') && !rel.startsWith('../')) paths.push(rel);
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) visit(inner);
    }
  };
  const pkg = (pkgJson ?? {}) as Record<string, unknown>;
  for (const field of ['main', 'module', 'browser', 'types', 'typings', 'bin', 'exports']) visit(pkg[field]);
  return paths;
}

/**
 * Copies into the worktree the ignored directories (`ignored`, repository-relative) that a linked
 * workspace package's entry points live in. A copy, not a link: a module resolves its relative
 * imports from where it really is, and the build output of `preconstruct dev` re-exports
 * `../src/index.ts`, which must be the worktree's. Returns the directories copied.
 */
export function copyBuildOutputs(root: string, dir: string, linked: LinkedPackages, ignored: string[]): string[] {
  const copied: string[] = [];
  const wanted = new Map<string, string[]>();
  for (const pkg of linked) {
    try {
      wanted.set(pkg, entryPaths(JSON.parse(readFileSync(path.join(root, pkg, 'package.json'), 'utf8'))));
    } catch {
      continue;
    }
  }
  for (const rel of ignored) {
    // The package the directory is in (the nearest linked one above it), and its path inside it.
    const pkg = [...wanted.keys()].filter((p) => rel.startsWith(`${p}${path.sep}`)).sort((a, b) => b.length - a.length)[0];
    const inside = pkg && rel.slice(pkg.length + 1).split(path.sep).join('/');
    if (!pkg || !wanted.get(pkg)!.some((entry) => entry.startsWith(`${inside}/`))) continue;
    const target = path.join(dir, rel);
    if (existsSync(target) || !existsSync(path.dirname(target))) continue;
    cpSync(path.join(root, rel), target, { recursive: true, verbatimSymlinks: true });
    copied.push(rel.split(path.sep).join('/'));
  }
  return copied;
}
