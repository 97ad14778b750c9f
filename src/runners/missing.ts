// What the environment lacks, read from a failure: the machine's errors (a port, the disk, a
// service) and a dependency that is not installed (a package, a Python package, a browser, a
// program). Either way no change to the code makes the test pass, so it is a blocker with what to
// install, never a problem for the repair providers. The one place these patterns live.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { MissingDependency, SuiteRun, TestRun } from '../model.js';
import { isInside } from '../paths.js';

const MACHINE_CODES = 'ECONNREFUSED|ECONNRESET|EADDRINUSE|ENOSPC|ENOMEM|EBUSY|EMFILE|EAI_AGAIN|ENOTFOUND';
const MACHINE_TEXT = 'Cannot connect to the Docker daemon|JavaScript heap out of memory';

/** The machine's errors in a failing test's message. EACCES and EPERM are left out: a test that fails on them usually touches a path the code chose. */
export const TEST_ENVIRONMENT_ERRORS = new RegExp(`\\b(${MACHINE_CODES})\\b|${MACHINE_TEXT}`);

/** The machine's errors in the output of a suite that could not run: there, EACCES and EPERM are the machine's too. */
export const ENVIRONMENT_ERRORS = new RegExp(`\\b(${MACHINE_CODES}|EPERM|EACCES|ETIMEDOUT)\\b|${MACHINE_TEXT}`);

/** Where the failure happened: the checkout's root and the directory the suite ran in. */
export interface MissingContext {
  root: string;
  runDir: string;
}

export type Missing = Omit<MissingDependency, 'files' | 'testIds'>;

// A specifier Node or vite could not resolve, in the shapes runners print it.
const MODULE_NOT_FOUND = [
  /Cannot find (?:module|package) '([^']+)'/, // node (CJS, ESM), jest ("from 'src/a.ts'"), vitest ("imported from")
  /Failed to load url (\S+) \(resolved id: /, // vite-node
  /Failed to resolve import "([^"]+)" from /, // vite's import analysis
  /Could not resolve "([^"]+)"/, // esbuild
];
const PYTHON_NOT_FOUND = /No module named '([\w.]+)'/;

/** The npm package a bare specifier names ("lodash/fp" -> "lodash", "@scope/pkg/x" -> "@scope/pkg"), or undefined for a path, an alias or a builtin. */
export function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|[a-z]:[\\/]|file:|node:|data:|https?:|#|~|@\/)/i.test(specifier)) return undefined;
  const match = /^(@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*|[a-z0-9][\w.-]*)(\/|$)/i.exec(specifier);
  if (!match || builtinModules.includes(match[1])) return undefined;
  return match[1];
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** runDir and its parents up to the root (or up to the filesystem's top when runDir is outside it). */
function dirsUp(ctx: MissingContext): string[] {
  const dirs: string[] = [];
  for (let dir = ctx.runDir; ; dir = path.dirname(dir)) {
    dirs.push(dir);
    if (dir === ctx.root || path.dirname(dir) === dir) return dirs;
  }
}

/** A tsconfig `paths` alias ("@app/*") is the project's own module: a wrong one is a code problem. */
function isPathAlias(specifier: string, ctx: MissingContext): boolean {
  for (const dir of dirsUp(ctx)) {
    const text = existsSync(path.join(dir, 'tsconfig.json')) ? readFileSync(path.join(dir, 'tsconfig.json'), 'utf8') : '';
    for (const key of text.match(/"[^"\n]+"\s*:\s*\[/g) ?? []) {
      const alias = /"([^"]+)"/.exec(key)![1];
      const prefix = alias.endsWith('*') ? alias.slice(0, -1) : undefined;
      if (prefix !== undefined ? prefix !== '' && specifier.startsWith(prefix) : specifier === alias) return true;
    }
  }
  return false;
}

/**
 * A path inside the checkout that reads like a specifier: parsers print paths relative to the
 * root, so "Cannot find module '/repo/src/helpers.js'" reaches here as 'src/helpers.js'.
 */
function isProjectPath(specifier: string, ctx: MissingContext): boolean {
  const first = specifier.split('/')[0];
  return specifier.includes('/') && [ctx.root, ctx.runDir].some((dir) => existsSync(path.join(dir, first)));
}

/** How the project installs its packages: the lockfile tells the package manager. */
function installCommand(ctx: MissingContext): string {
  for (const dir of dirsUp(ctx)) {
    if (existsSync(path.join(dir, 'pnpm-lock.yaml'))) return 'pnpm install';
    if (existsSync(path.join(dir, 'yarn.lock'))) return 'yarn install';
    if (existsSync(path.join(dir, 'bun.lockb')) || existsSync(path.join(dir, 'bun.lock'))) return 'bun install';
    if (existsSync(path.join(dir, 'package-lock.json'))) return 'npm ci';
  }
  return 'npm install';
}

function declaredIn(name: string, ctx: MissingContext): string | undefined {
  for (const dir of dirsUp(ctx)) {
    const pkg = readJson(path.join(dir, 'package.json'));
    if (!pkg) continue;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[field];
      if (deps && typeof deps === 'object' && name in deps) return path.relative(ctx.root, path.join(dir, 'package.json')).split(path.sep).join('/');
    }
  }
  return undefined;
}

/** The files a package.json names as its entry points, by field: types first, as tsc reads them. */
function entryFiles(pkg: Record<string, unknown>): { field: string; file: string }[] {
  const found: { field: string; file: string }[] = [];
  const visit = (field: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('*')) found.push({ field, file: path.posix.normalize(value.replace(/^\.\//, '')) });
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) visit(field, inner);
    }
  };
  for (const field of ['types', 'typings', 'main', 'module', 'exports']) visit(field, pkg[field]);
  return found;
}

/** How the project runs a script: the lockfile tells the package manager. */
function runCommand(ctx: MissingContext): string {
  const install = installCommand(ctx);
  return install === 'npm ci' ? 'npm run' : `${install.split(' ')[0]} run`;
}

/**
 * A workspace package of the checkout that node_modules links to but that was never built (the
 * file its package.json names as types, main or exports is not there): installing does not help,
 * its build does. Says which file is missing and the command that builds it.
 */
function unbuiltWorkspacePackage(name: string, ctx: MissingContext, imported?: string): Pick<Missing, 'install' | 'workspace'> | undefined {
  for (const dir of dirsUp(ctx)) {
    const link = path.join(dir, 'node_modules', name);
    if (!existsSync(path.join(link, 'package.json'))) continue;
    const target = realpathSync(link);
    const inside = path.relative(realpathSync(ctx.root), target);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
    const pkg = readJson(path.join(target, 'package.json')) ?? {};
    const named = imported ? [{ field: 'imported', file: imported }] : entryFiles(pkg);
    const absent = named.find((e) => !existsSync(path.join(target, e.file)));
    if (!absent) return undefined;
    const where = inside.split(path.sep).join('/');
    const build = (pkg.scripts as Record<string, unknown> | undefined)?.build;
    const rootBuild = (readJson(path.join(ctx.root, 'package.json'))?.scripts as Record<string, unknown> | undefined)?.build;
    const missing = absent.field === 'imported' ? `${where}/${absent.file}, which the test imports, is missing` : `its ${absent.field} file ${where}/${absent.file} is missing`;
    const how =
      typeof build === 'string'
        ? `build it with \`${runCommand(ctx)} build\` in ${where} (\`${build}\`)${typeof rootBuild === 'string' && where !== '.' ? `, or all workspace packages with \`${runCommand(ctx)} build\` at the root` : ''}`
        : `build it the way the project's CI does (${where}/package.json has no build script)`;
    return { workspace: where, install: `${how}: ${name} is this repository's workspace package ${where}, linked into node_modules, and ${missing}` };
  }
  return undefined;
}

/**
 * The package and file an absolute path through node_modules names, as Node prints a resolved
 * import: '/repo/packages/it/node_modules/solid-js/dist/server.js' -> solid-js, dist/server.js.
 */
function builtFileOfLink(specifier: string): { name: string; file: string } | undefined {
  const match = /^\/.*\/node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/(.+)$/.exec(specifier);
  return match && !match[2].includes('/node_modules/') ? { name: match[1], file: match[2] } : undefined;
}

function missingPackage(text: string, ctx: MissingContext): Missing | undefined {
  for (const pattern of MODULE_NOT_FOUND) {
    const match = pattern.exec(text);
    if (!match) continue;
    const inPackage = builtFileOfLink(match[1]);
    if (inPackage) {
      const unbuilt = unbuiltWorkspacePackage(inPackage.name, ctx, inPackage.file);
      return unbuilt ? { kind: 'package', name: inPackage.name, ...unbuilt, message: match[0] } : undefined;
    }
    const name = packageOf(match[1]);
    if (!name || isPathAlias(match[1], ctx) || isProjectPath(match[1], ctx)) return undefined;
    const unbuilt = unbuiltWorkspacePackage(name, ctx);
    if (unbuilt) return { kind: 'package', name, ...unbuilt, message: match[0] };
    const declared = declaredIn(name, ctx);
    const install = declared
      ? `run \`${installCommand(ctx)}\`: ${name} is in ${declared} but not installed`
      : `install it (\`npm install --save-dev ${name}\`), or correct the import if the name is wrong: no package.json declares it`;
    return { kind: 'package', name, install, message: match[0] };
  }
  return undefined;
}

/** Import names whose package on PyPI is called otherwise. */
const PYPI_NAMES: Record<string, string> = { yaml: 'PyYAML', cv2: 'opencv-python', PIL: 'Pillow', sklearn: 'scikit-learn', bs4: 'beautifulsoup4', dateutil: 'python-dateutil', dotenv: 'python-dotenv', jwt: 'PyJWT', magic: 'python-magic', attr: 'attrs' };

/** A top-level module the project itself has: a folder or a .py file where imports start. */
function isProjectModule(top: string, ctx: MissingContext): boolean {
  return dirsUp(ctx).some((dir) =>
    ['', 'src', 'lib'].some((sub) => existsSync(path.join(dir, sub, top)) || existsSync(path.join(dir, sub, `${top}.py`))),
  );
}

function missingPythonPackage(text: string, ctx: MissingContext): Missing | undefined {
  const match = PYTHON_NOT_FOUND.exec(text);
  if (!match) return undefined;
  const top = match[1].split('.')[0];
  if (isProjectModule(top, ctx)) return undefined;
  const pypi = PYPI_NAMES[top] ?? top;
  return { kind: 'python-package', name: pypi, install: `install it in the suite's Python environment (\`pip install ${pypi}\`, or the project's requirements)`, message: match[0] };
}

const BROWSERS: [RegExp, (m: RegExpExecArray) => Missing][] = [
  [/Executable doesn't exist at (\S+)/, (m) => ({ kind: 'browser', name: browserName(m[1]), install: 'run `npx playwright install` (Playwright\'s browsers are not downloaded)', message: m[0] })],
  [/Host system is missing dependencies to run browsers/, (m) => ({ kind: 'browser', name: 'system libraries', install: 'run `npx playwright install-deps` (the browser\'s system libraries are missing)', message: m[0] })],
  [/Could not find (Chrome|Chromium|Firefox|chrome-headless-shell)\b[^\n]*/, (m) => ({ kind: 'browser', name: m[1].toLowerCase(), install: `run \`npx puppeteer browsers install ${m[1].toLowerCase()}\` (Puppeteer's browser is not downloaded)`, message: m[0] })],
  [/Failed to launch the browser process[^\n]*/, (m) => ({ kind: 'browser', name: 'browser', install: 'install the browser\'s system libraries (the output names the missing one, e.g. libnss3.so)', message: m[0] })],
];

function browserName(executable: string): string {
  return /ms-playwright\/([a-z_-]+?)(?:[-_]\d|\/)/.exec(executable)?.[1] ?? path.basename(executable);
}

/** A program the code starts that is not on PATH; one the repository holds is a code problem. */
function missingProgram(text: string, ctx: MissingContext): Missing | undefined {
  const match = /\bspawn(?:Sync)? (\S+) ENOENT\b/.exec(text);
  if (!match) return undefined;
  const program = match[1];
  if (program.includes('/') && isInside(ctx.root, path.resolve(ctx.runDir, program))) return undefined;
  return { kind: 'program', name: program, install: `install \`${program}\` or put it on PATH`, message: match[0] };
}

/** The dependency a failure's text says is not installed, or undefined when the code is to blame (a relative import that is missing). */
export function missingDependency(text: string, ctx: MissingContext): Missing | undefined {
  for (const [pattern, make] of BROWSERS) {
    const match = pattern.exec(text);
    if (match) return make(match);
  }
  return missingPackage(text, ctx) ?? missingPythonPackage(text, ctx) ?? missingProgram(text, ctx);
}

/** What is wrong, as a report's heading says it: "package lodash is not installed", "workspace package @acme/schema (packages/schema) is not built". */
export function whatIsMissing(m: Pick<Missing, 'kind' | 'name' | 'workspace'>): string {
  return m.workspace ? `workspace package ${m.name} (${m.workspace}) is not built` : `${describeMissing(m)} is not installed`;
}

/** "package lodash", "Python package httpx", "browser chromium", "program magick". */
export function describeMissing(m: Pick<Missing, 'kind' | 'name'>): string {
  return `${{ package: 'package', 'python-package': 'Python package', browser: 'browser', program: 'program' }[m.kind]} ${m.name}`;
}

/** The checkout a directory belongs to: its nearest parent holding .git (a worktree's is a file). */
export function contextOf(runDir: string): MissingContext {
  for (let dir = runDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return { root: dir, runDir };
    if (path.dirname(dir) === dir) return { root: runDir, runDir };
  }
}

/**
 * The suite's failures that a missing dependency explains, gathered per dependency on the run:
 * their load failures and tests stay as they are (they did fail), and `missing` says why.
 */
export function markMissing(run: SuiteRun, ctx: MissingContext): SuiteRun {
  if (run.blocker) return run;
  const found = new Map<string, MissingDependency>();
  const note = (text: string, file: string, testId?: string): void => {
    const m = missingDependency(text, ctx);
    if (!m) return;
    const key = `${m.kind}:${m.name}`;
    const entry = found.get(key) ?? { ...m, files: [], testIds: [] };
    found.set(key, entry);
    if (testId) entry.testIds.push(testId);
    else if (!entry.files.includes(file)) entry.files.push(file);
  };
  for (const l of run.loadFailures) note(failureText(l.failure), l.file);
  for (const t of run.tests) if (t.status === 'failed' && t.failure) note(failureText(t.failure), t.file, t.id);
  return found.size ? { ...run, missing: [...found.values()] } : run;
}

function failureText(failure: { message: string; stack?: string }): string {
  return failure.stack ? `${failure.message}\n${failure.stack}` : failure.message;
}

/** Whether a missing dependency explains this failure (a load failure when `testId` is absent). */
export function isMissingDependency(run: SuiteRun, file: string, testId?: string): boolean {
  return (run.missing ?? []).some((m) => (testId ? m.testIds.includes(testId) : m.files.includes(file)));
}

/**
 * The environment is all that stands between the suites and green: some suite is blocked or lacks
 * a dependency, and every other failure is one a missing dependency explains.
 */
export function blockedByEnvironment(run: TestRun): boolean {
  const active = run.suites.filter((s) => !s.blocker);
  if (active.length === run.suites.length && !active.some((s) => s.missing?.length)) return false;
  return active.every(
    (s) =>
      s.loadFailures.every((l) => isMissingDependency(s, l.file)) &&
      s.tests.every((t) => t.status !== 'failed' || isMissingDependency(s, t.file, t.id)),
  );
}
