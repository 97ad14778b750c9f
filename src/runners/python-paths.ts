// A Python environment that imports the project from the user's checkout (an editable install's
// .pth or finder, a PYTHONPATH the user exported) would make a worktree's tests run the
// checkout's code instead of the worktree's: every candidate judged on code it did not change.
// The same directories of the worktree go first on PYTHONPATH, so its own copy is imported.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interpreterOf, type SuiteLike } from '../repair/python/interpreter.js';

/** The checkout a linked worktree belongs to (its `.git` file names the common git dir), or undefined for a main checkout. */
export function mainCheckoutOf(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  try {
    if (!statSync(dotGit).isFile()) return undefined;
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return undefined;
    const own = path.resolve(dir, gitdir);
    const common = path.resolve(own, readFileSync(path.join(own, 'commondir'), 'utf8').trim());
    return path.basename(common) === '.git' ? realpathSync(path.dirname(common)) : undefined;
  } catch {
    return undefined;
  }
}

// Asks the interpreter itself: sys.path after site (.pth lines, PYTHONPATH) and the paths of
// setuptools' editable finders (MAPPING = {"pkg": "/checkout/src/pkg"}), which are no sys.path entry.
const PROBE = String.raw`
import glob, json, os, re, site, sys
root = os.path.realpath(sys.argv[1])
def inside(p):
    p = os.path.realpath(p)
    return p if p == root or p.startswith(root + os.sep) else None
found = [inside(p) for p in sys.path if p]
dirs = list(getattr(site, "getsitepackages", lambda: [])()) + [site.getusersitepackages()]
for sp in dirs:
    for f in glob.glob(os.path.join(sp, "__editable__*finder.py")):
        try:
            text = open(f, encoding="utf-8").read()
        except OSError:
            continue
        m = re.search(r"^MAPPING\b[^=]*=\s*(\{.*?\})\s*$", text, re.M | re.S)
        for target in re.findall(r"'([^']+)'|\"([^\"]+)\"", m.group(1) if m else ""):
            p = inside(target[0] or target[1])
            if p and os.path.isabs(target[0] or target[1]):
                found.append(os.path.dirname(p))
print(json.dumps(sorted({os.path.relpath(p, root) for p in found if p})))
`;

const probed = new Map<string, Promise<string[]>>();

/**
 * The checkout's directories (repository-relative, "." for the root) that `python` imports from
 * when started with `env`; [] when it cannot be asked. Asked once per interpreter, checkout and PYTHONPATH.
 */
export function checkoutImportDirs(python: string, checkout: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const key = `${python}\0${checkout}\0${env.PYTHONPATH ?? ''}\0${env.VIRTUAL_ENV ?? ''}\0${env.PATH ?? ''}`;
  let found = probed.get(key);
  if (!found) {
    found = new Promise((resolve) => {
      execFile(python, ['-c', PROBE, checkout], { cwd: os.tmpdir(), env, timeout: 30_000 }, (error, stdout) => {
        try {
          resolve(error ? [] : (JSON.parse(stdout) as string[]).map((p) => p.split(path.sep).join('/')));
        } catch {
          resolve([]);
        }
      });
    });
    probed.set(key, found);
  }
  return found;
}

/**
 * The PYTHONPATH a suite run in the worktree `dir` needs so that it imports the worktree's copy of
 * what its Python imports from the user's checkout, or undefined when `dir` is no worktree or
 * nothing is imported from the checkout.
 */
export async function worktreePythonPath(python: string, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const checkout = mainCheckoutOf(dir);
  if (!checkout || checkout === realpathSync(dir)) return undefined;
  const dirs = (await checkoutImportDirs(python, checkout, env)).map((rel) => path.join(dir, rel)).filter((p) => existsSync(p));
  if (dirs.length === 0) return undefined;
  return [...dirs, ...(env.PYTHONPATH ? [env.PYTHONPATH] : [])].join(path.delimiter);
}

/** The interpreter of the first pytest suite (as run from `root`), or undefined when no suite runs pytest. */
export function pytestPython(suites: readonly SuiteLike[], root: string): string | undefined {
  const suite = suites.find((s) => s.format === 'pytest' || ((s.format === undefined || s.format === 'auto') && /\bpy\.?test\b/.test(s.command)));
  return suite ? interpreterOf(suite.command, root, suite.cwd) ?? 'python3' : undefined;
}
