// Setting up a corpus entry outside the project tree: a clone from the fetched mirror at the pinned
// commit, the package manager version it asks for, and its dependencies installed from the
// lockfile (or a virtualenv for Python). Nothing here fetches from GitHub: a missing mirror is
// reported with the way to get it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

export interface Entry {
  name: string;
  repo: string;
  commit: string;
  pinned: string;
  runner: 'vitest' | 'jest' | 'mocha' | 'node:test' | 'pytest';
  runnerMajor: number;
  /** "npm", "pnpm@9", "yarn@1" or "venv" (Python). */
  manager: string;
  layout: string;
  install: string;
  test: string;
  sources: string[];
  /**
   * Variables every command of the entry runs with, the plain run's included: TURBO_FORCE, so that
   * the plain run runs the tests instead of replaying turbo's cache of an earlier run.
   */
  env?: Record<string, string>;
  why: string;
  needs: string;
  python?: { interpreter: 'pyenv' | 'debian'; path: string; apt?: string[] };
}

export const REAL_DIR = process.env.FIXLOOP_REAL_DIR ?? (existsSync('/work') ? '/work/real' : path.join(tmpdir(), 'fixloop-real'));
export const MIRROR_DIR = process.env.FIXLOOP_MIRROR_DIR ?? '/work/.mirror';

export interface Exec {
  code: number | null;
  /** stdout and stderr interleaved as they arrived. */
  out: string;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs a shell command in its own process group, so a timeout also ends what it started (test workers, servers). */
export function exec(command: string, options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Exec> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('sh', ['-c', command], { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d;
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

export function mirrorOf(entry: Entry): string {
  return path.join(MIRROR_DIR, entry.repo.replace('/', '+'), 'repo');
}

export function checkoutOf(entry: Entry): string {
  return path.join(REAL_DIR, entry.name, 'repo');
}

function pnpmUserConfig(): string {
  const file = path.join(REAL_DIR, 'config', 'npmrc');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const home = path.join(homedir(), '.npmrc');
    writeFileSync(file, `${existsSync(home) ? readFileSync(home, 'utf8').trimEnd() + '\n' : ''}manage-package-manager-versions=false\n`);
  }
  return file;
}

/** PATH and variables every command of this entry runs with: its package manager version, its virtualenv. */
export function envOf(entry: Entry): NodeJS.ProcessEnv {
  const extra: string[] = [];
  // No NO_COLOR/FORCE_COLOR: projects test their own color handling (commander's CLICOLOR_FORCE
  // tests fail under them); the summary readers strip ANSI codes instead.
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', ...entry.env };
  delete env.CI;
  const [pm, major] = entry.manager.split('@');
  // pnpm 9.7+ switches to the exact version in packageManager and refuses one whose registry
  // signature it cannot check (this registry has none): the installed major is used instead.
  // The setting must reach the pnpm a test script starts too, which does not see npm_config_*
  // variables from the environment but does read the user config file.
  if (pm === 'pnpm') env.npm_config_userconfig = pnpmUserConfig();
  if (major) extra.push(path.join(REAL_DIR, 'tools', `${pm}-${major}`, 'node_modules', '.bin'));
  if (entry.python) {
    const venv = path.join(REAL_DIR, entry.name, 'venv');
    extra.push(path.join(venv, 'bin'));
    env.VIRTUAL_ENV = venv;
  }
  env.PATH = [...extra, env.PATH].join(path.delimiter);
  return env;
}

export interface Setup {
  ok: boolean;
  /** What went wrong and what to do, when not ok. */
  error?: string;
  installMs?: number;
  /** The runner's version as installed (node_modules/<runner>/package.json or pytest --version). */
  runnerVersion?: string;
}

async function step(command: string, cwd: string, env: NodeJS.ProcessEnv, log: string[]): Promise<Exec> {
  const result = await exec(command, { cwd, env, timeoutMs: 15 * 60_000 });
  log.push(`$ ${command}  (exit ${result.code}, ${(result.ms / 1000).toFixed(1)} s)`, result.out);
  return result;
}

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function ensureTool(manager: string, log: string[]): Promise<string | undefined> {
  const [pm, major] = manager.split('@');
  if (!major) return undefined;
  const dir = path.join(REAL_DIR, 'tools', `${pm}-${major}`);
  if (existsSync(path.join(dir, 'node_modules', '.bin', pm))) return undefined;
  mkdirSync(dir, { recursive: true });
  const r = await step(`npm i --no-audit --no-fund --silent ${pm}@${major}`, dir, process.env, log);
  return r.code === 0 ? undefined : `installing ${pm}@${major} into ${dir} failed:\n${tail(r.out)}`;
}

async function makeVenv(entry: Entry, log: string[]): Promise<string | undefined> {
  const py = entry.python!;
  const interpreter = py.interpreter === 'debian' ? '/usr/bin/python3' : 'python3';
  const venv = path.join(REAL_DIR, entry.name, 'venv');
  const made = await step(`${interpreter} -m venv --system-site-packages "${venv}"`, REAL_DIR, process.env, log);
  if (made.code !== 0) return `${interpreter} -m venv failed${py.apt ? ` (apt-get install ${py.apt.join(' ')})` : ''}:\n${tail(made.out)}`;
  // What `pip install -e .` would leave behind, without a build backend from PyPI. A venv's own
  // site-packages (and its .pth entries) come before the system's, so this copy shadows an installed one.
  const site = (await exec(`"${venv}/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"`, { cwd: REAL_DIR, timeoutMs: 60_000 })).stdout.trim();
  writeFileSync(path.join(site, '_fixloop_real_bench.pth'), `${path.resolve(checkoutOf(entry), py.path)}\n`);
  return undefined;
}

export async function runnerVersion(entry: Entry): Promise<string | undefined> {
  const dir = checkoutOf(entry);
  if (entry.runner === 'pytest') {
    const r = await exec('python -m pytest --version', { cwd: dir, env: envOf(entry), timeoutMs: 60_000 });
    return /pytest (\S+)/.exec(r.out)?.[1];
  }
  if (entry.runner === 'node:test') return process.versions.node;
  const candidates = [path.join(dir, 'node_modules', entry.runner, 'package.json'), ...entry.sources.map((s) => path.join(dir, s.split('/').slice(0, 2).join('/'), 'node_modules', entry.runner, 'package.json'))];
  for (const file of candidates) {
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return undefined;
}

/** Clone (once) and install (once per pinned commit); a later call finds the marker and returns at once. */
export async function setUp(entry: Entry): Promise<Setup> {
  const base = path.join(REAL_DIR, entry.name);
  const marker = path.join(base, 'installed.json');
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as Setup & { commit: string; install?: string };
    // A changed recipe (eslint-rewrite's CI build added to its install) runs again.
    if (done.commit === entry.commit && done.ok && (done.install ?? entry.install) === entry.install) return done;
  }
  const mirror = mirrorOf(entry);
  if (!existsSync(mirror)) {
    return { ok: false, error: `no mirror of ${entry.repo} at ${mirror}: bring it onto the machine with the search tool's fetch (fetch github:${entry.repo}), or set FIXLOOP_MIRROR_DIR` };
  }
  mkdirSync(base, { recursive: true });
  const log: string[] = [];
  const dir = checkoutOf(entry);
  const env = envOf(entry);
  let error: string | undefined;
  if (!existsSync(dir)) {
    const cloned = await step(`git clone -q --no-checkout "${mirror}" "${dir}"`, base, env, log);
    if (cloned.code !== 0) error = `git clone ${mirror} failed:\n${tail(cloned.out)}`;
  }
  if (!error) {
    const co = await step(`git checkout -q -f -B bench ${entry.commit} && git config user.email bench@example.com && git config user.name Bench`, dir, env, log);
    if (co.code !== 0) error = `commit ${entry.commit} is not in ${mirror} (fetch github:${entry.repo} again for a newer snapshot):\n${tail(co.out)}`;
  }
  if (!error) error = await ensureTool(entry.manager, log);
  if (!error && entry.python) error = await makeVenv(entry, log);
  let installMs: number | undefined;
  if (!error && entry.install) {
    const installed = await step(entry.install, dir, env, log);
    installMs = installed.ms;
    if (installed.code !== 0) error = `\`${entry.install}\` failed (exit ${installed.code}):\n${tail(installed.out)}`;
  }
  writeFileSync(path.join(base, 'install.log'), log.join('\n'));
  const result: Setup = { ok: !error, error, installMs, runnerVersion: error ? undefined : await runnerVersion(entry) };
  writeFileSync(marker, JSON.stringify({ ...result, commit: entry.commit, install: entry.install }, null, 2));
  return result;
}

/** Back to the pinned commit (plus the committed policy, if any) with nothing left over from a loop. */
export async function resetCheckout(entry: Entry, ref: string): Promise<void> {
  const dir = checkoutOf(entry);
  await exec(`git checkout -q -f bench && git reset -q --hard ${ref} && git clean -qfd && git worktree prune`, { cwd: dir, timeoutMs: 120_000 });
}
