// Dependencies in a worktree as in the user's checkout: what git does not carry (node_modules at any
// depth, Python virtualenvs, submodules' files) is provided without installing anything, and so
// that nothing run in the worktree can change the user's copy of it.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { commandEnvironment } from '../runners/environment.js';
import { checkoutImportDirs } from '../runners/python-paths.js';
import { git } from './repo.js';
import { copyBuildOutputs, linkTarget, type LinkedPackages } from './workspace-links.js';

export interface ProvidedDependencies {
  /** node_modules directories provided, repository-relative ("." for the root's). */
  nodeModules: string[];
  /** Virtualenvs linked, repository-relative. */
  virtualenvs: string[];
  /** Submodules checked out from the checkout's own copy. */
  submodules: string[];
  /**
   * Directories the project's Python imports from the checkout (an editable install's .pth): pytest
   * suites in the worktree get the worktree's own first on PYTHONPATH. Repository-relative.
   */
  pythonPath?: string[];
  /** Build output of workspace packages copied from the checkout (their links lead to the worktree's own copy). */
  builds?: string[];
  /** What could not be provided, and why. */
  problems: string[];
}

/** One line for reports: "linked node_modules at ., packages/a; virtualenv .venv; submodule vendor/lib". */
export function describeDependencies(d: ProvidedDependencies): string {
  const parts = [
    ...(d.nodeModules.length ? [`linked node_modules at ${d.nodeModules.join(', ')}`] : []),
    ...(d.virtualenvs.length ? [`linked virtualenv ${d.virtualenvs.join(', ')}`] : []),
    ...(d.builds?.length ? [`workspace packages linked to the worktree's own, with their build output copied: ${shortList(d.builds)}`] : []),
    ...(d.submodules.length ? [`submodule ${d.submodules.join(', ')} checked out from the checkout's copy`] : []),
    ...(d.pythonPath?.length ? [`Python imports ${d.pythonPath.join(', ')} from the checkout: pytest suites import the worktree's copy (PYTHONPATH)`] : []),
    ...d.problems,
  ];
  return parts.length ? parts.join('; ') : 'none needed (no node_modules, virtualenv or submodule outside git)';
}

function shortList(items: string[], shown = 4): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown - 1).join(', ')} and ${items.length - shown + 1} more`;
}

const DEPENDENCY_DIRS = new Set(['node_modules', '.venv', 'venv']);

/**
 * Directories of the checkout that git does not track (ignored or not), as git collapses them
 * ("packages/a/node_modules"), and links to directories with a dependency folder's name (a
 * node_modules linked in from elsewhere, which git lists as a file).
 */
async function untrackedDirs(root: string): Promise<{ all: string[]; ignored: string[] }> {
  const list = async (extra: string[]) =>
    (await git(root).raw(['ls-files', '--others', '--directory', '--exclude-standard', ...extra]))
      .split('\n')
      .filter((line) => line.endsWith('/') || (DEPENDENCY_DIRS.has(path.basename(line)) && isDirectory(path.join(root, line))))
      .map((line) => line.replace(/\/$/, ''));
  const ignored = await list(['--ignored']);
  return { all: [...new Set([...(await list([])), ...ignored])].sort(), ignored };
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isVirtualenv(dir: string): boolean {
  return existsSync(path.join(dir, 'pyvenv.cfg'));
}

/**
 * A directory of the worktree's own whose entries link to the checkout's: a package manager run
 * in the worktree (`npm ci` empties node_modules) then removes and adds links, never the user's
 * packages, as it would through a link to the whole directory. Files (.package-lock.json,
 * .modules.yaml, pyvenv.cfg) are copied, since writing one through a link would rewrite the
 * user's; `.bin` and `@scope` folders get links per entry for the same reason. Being a real
 * directory, it also matches the user's ignore patterns ("node_modules/" matches no symlink).
 */
function mirror(source: string, target: string, link: (from: string) => string): void {
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(source)) {
    const from = path.join(source, name);
    const to = path.join(target, name);
    if (existsSync(to)) continue;
    let isDir: boolean;
    try {
      isDir = statSync(from).isDirectory();
    } catch {
      continue; // a dangling link: nothing to provide
    }
    if (!isDir) copyFileSync(from, to);
    else if (name === '.bin' || (name.startsWith('@') && !lstatSync(from).isSymbolicLink())) {
      mkdirSync(to);
      for (const entry of readdirSync(from)) symlinkSync(link(path.join(from, entry)), path.join(to, entry));
    } else symlinkSync(link(from), to, 'dir');
  }
}

/** The submodules of the worktree's commit, by path, with the commit each is at. */
async function gitlinks(dir: string): Promise<{ path: string; sha: string }[]> {
  const out = await git(dir).raw(['ls-files', '--stage']);
  return out
    .split('\n')
    .map((line) => /^160000 ([0-9a-f]{40,64}) \d+\t(.+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ sha: m[1], path: m[2] }));
}

/**
 * Each submodule cloned from the checkout's own copy of it (local, sharing its objects read-only:
 * no network, and the user's submodule is never written) and checked out at the commit the
 * worktree's commit records.
 */
async function checkoutSubmodules(root: string, dir: string, provided: ProvidedDependencies): Promise<void> {
  for (const link of await gitlinks(dir)) {
    const source = path.join(root, link.path);
    if (!existsSync(path.join(source, '.git'))) {
      provided.problems.push(`submodule ${link.path} not provided: it is not checked out in ${root} (run \`git submodule update --init\` there)`);
      continue;
    }
    const target = path.join(dir, link.path);
    try {
      await git(dir).raw(['clone', '--quiet', '--shared', '--no-checkout', source, target]);
      await git(target).raw(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', link.sha]);
      provided.submodules.push(link.path);
    } catch (err) {
      provided.problems.push(`submodule ${link.path} not provided: ${(err as Error).message.trim().split('\n')[0]}`);
    }
  }
}

/**
 * Provides the worktree `dir` of `root` with the dependencies the checkout has outside git.
 * `python`: the interpreter of the run's pytest suites, asked what it imports from the checkout.
 */
export async function provideDependencies(root: string, dir: string, opts: { python?: string } = {}): Promise<ProvidedDependencies> {
  const provided: ProvidedDependencies = { nodeModules: [], virtualenvs: [], submodules: [], problems: [] };
  const { all, ignored } = await untrackedDirs(root);
  const linked: LinkedPackages = new Set();
  const link = (from: string) => linkTarget(from, root, dir, linked);
  for (const rel of all) {
    const source = path.join(root, rel);
    const target = path.join(dir, rel);
    // Its parent is not in this commit (or the path is taken): nothing there would use it.
    if (existsSync(target) || !existsSync(path.dirname(target))) continue;
    const shown = rel.split(path.sep).join('/');
    if (path.basename(rel) === 'node_modules') {
      mirror(source, target, link);
      provided.nodeModules.push(path.dirname(shown) === '.' ? '.' : path.dirname(shown));
    } else if (isVirtualenv(source) || DEPENDENCY_DIRS.has(path.basename(rel))) {
      // Its python finds pyvenv.cfg beside its bin/ and takes the worktree's copy as its prefix;
      // lib/ links to the user's packages. A copy would not run: scripts hold absolute paths.
      mirror(source, target, (from) => from);
      provided.virtualenvs.push(shown);
    }
  }
  const builds = copyBuildOutputs(root, dir, linked, ignored);
  if (builds.length) provided.builds = builds;
  await checkoutSubmodules(root, dir, provided);
  if (opts.python) {
    const imported = await checkoutImportDirs(opts.python, realpathSync(root), commandEnvironment().env);
    if (imported.length) provided.pythonPath = imported;
  }
  return provided;
}
