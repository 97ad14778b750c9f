// Reading and rewriting the shell command of a suite: where the runner's own arguments go, which
// words are test paths, and what `npm test` / `pnpm run x` / `yarn test` / `bun run x` stand for.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** The words after the manager that run a script, by manager (`bun test` is bun's own runner, not a script). */
const SCRIPT_VERBS: Record<PackageManagerName, { test: string[]; run: string[] }> = {
  npm: { test: ['test', 't'], run: ['run', 'run-script'] },
  pnpm: { test: ['test', 't'], run: ['run', 'run-script'] },
  yarn: { test: ['test'], run: ['run'] },
  bun: { test: [], run: ['run'] },
};

export interface ScriptCall {
  manager: PackageManagerName;
  /** The script's name in package.json. */
  script: string;
  /** How many words the call takes (`npm run x` is 3). */
  length: number;
}

/**
 * The package.json script a command such as `npm test`, `pnpm run x`, `yarn test` or
 * `bun run x` runs, from its leading words; undefined for any other command.
 */
export function scriptCall(command: string): ScriptCall | undefined {
  const words = command.trim().split(/\s+/);
  const manager = words[0] as PackageManagerName;
  const verbs = Object.hasOwn(SCRIPT_VERBS, manager) ? SCRIPT_VERBS[manager] : undefined;
  if (!verbs) return undefined;
  if (verbs.test.includes(words[1])) return { manager, script: 'test', length: 2 };
  if (verbs.run.includes(words[1]) && words[2] && !words[2].startsWith('-')) return { manager, script: words[2], length: 3 };
  return undefined;
}

/**
 * The separator a script call needs before the runner's own arguments: npm forwards arguments to
 * the script only after "--". pnpm 10 (`test` and `run x`), yarn and bun forward the words after
 * the script's name as they are; pnpm would pass a "--" on to the runner, which reads what
 * follows it as file filters. (pnpm 9's `pnpm test` read its own options, `--reporter` among
 * them, up to a "--": `fixloop init` writes `pnpm run test`, the same in both.) Checked with
 * npm 10, pnpm 9.15 and 10.34, yarn 1.22 and bun 1.4.
 */
export function npmSeparator(command: string): string {
  return scriptCall(command)?.manager === 'npm' && !/\s--(\s|$)/.test(command) ? ' --' : '';
}

/** The script a script call (`npm test`, `pnpm run x`, `yarn test`, `bun run x`) runs, from package.json in `dir`. */
export function npmScript(command: string, dir: string): string | undefined {
  const call = scriptCall(command);
  if (!call) return undefined;
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts?.[call.script];
  } catch {
    return undefined;
  }
}

/** Words split on blanks; undefined when the command needs a real shell parser (quotes, pipes, lists). */
export function simpleWords(command: string): string[] | undefined {
  if (/['"`$|;&<>()\\]/.test(command)) return undefined;
  return command.trim().split(/\s+/);
}

/** Options of node, jest, mocha and pytest whose value is a path that is not a test path (mocha's --spec: kept, it cannot go alone). */
const PATH_OPTIONS = new Set(['-c', '--config', '--rootdir', '--confcutdir', '--basetemp', '-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--rootDir', '--setupFiles', '--file', '--ignore', '--exclude', '--spec']);

/**
 * The command with the test paths it names (words after the runner that exist on disk or are
 * globs, and are not the value of an option that takes a path) replaced by `files`; undefined when it cannot be done safely.
 * `runnerAt` finds the word after which the runner's arguments begin.
 */
export function withTestPaths(
  command: string,
  files: string[],
  dir: string,
  runnerAt: (words: string[]) => number,
): string | undefined {
  const words = simpleWords(command);
  if (!words) return undefined;
  const start = runnerAt(words);
  if (start < 0) return undefined;
  const kept = words.filter((word, i) => {
    if (i <= start || word.startsWith('-') || PATH_OPTIONS.has(words[i - 1])) return true;
    return !(word.includes('*') || existsSync(path.resolve(dir, word)));
  });
  return [...kept, ...files.map(shellQuote)].join(' ');
}

/** PATH with every node_modules/.bin from `dir` up, as the package manager gives the scripts it runs. */
export function npmPath(dir: string): string {
  const bins: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const bin = path.join(at, 'node_modules', '.bin');
    if (existsSync(bin)) bins.push(bin);
    if (path.dirname(at) === at) break;
  }
  return [...bins, process.env.PATH ?? ''].join(path.delimiter);
}

/** Yarn 2+ (a .yarnrc.yml in the directory or above): it runs no pre/post hooks. */
function yarnBerry(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.yarnrc.yml'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

export interface ScriptOutside {
  /** The script's own text, run by a shell instead of by the manager. */
  script: string;
  /** The `pre<name>` hook the manager runs before the script (a build, often), as a command. */
  hook?: string;
  /** node_modules/.bin on PATH: the script's programs (c8, mocha) are found only there. */
  env: { PATH: string };
}

/**
 * What the script of a script call (`npm test`, `pnpm run x`) needs to run outside its manager, as
 * an adapter runs it to put its flags or chosen files in the middle of it: its programs on PATH and
 * the `pre<name>` hook first (npm, pnpm, Yarn 1 and bun run it; uuid builds the tested code in pretest).
 */
export function scriptOutside(command: string, dir: string): ScriptOutside | undefined {
  const call = scriptCall(command);
  const script = npmScript(command, dir);
  if (!call || script === undefined) return undefined;
  let hook: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const pre = `pre${call.script}`;
    if (pkg.scripts?.[pre] !== undefined && !(call.manager === 'yarn' && yarnBerry(dir))) hook = `${call.manager} run ${pre}`;
  } catch {
    // npmScript read it a moment ago.
  }
  return { script: script.trim(), ...(hook ? { hook } : {}), env: { PATH: npmPath(dir) } };
}

/** The shell command that runs `hook` first and stops when it fails. */
export function afterHook(hook: string | undefined, run: string): string {
  return hook ? `${hook} && ${run}` : run;
}

const COVERAGE = /^(c8|nyc)$/;

/**
 * The words without the coverage tool (c8, nyc, with its options) that runs the runner at
 * `runner`: a run of chosen tests covers less than the whole suite, so a threshold the tool checks
 * (`c8 --100`) fails it although every test passed. What starts the tool (`npx`, `pnpm exec`)
 * starts the runner instead.
 */
export function withoutCoverage(words: string[], runner: number): string[] {
  const tool = words.slice(0, runner).findIndex((word) => COVERAGE.test(path.basename(word)));
  return tool < 0 ? words : [...words.slice(0, tool), ...words.slice(runner)];
}
