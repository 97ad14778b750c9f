// A package.json script read as a shell would: split into the commands of an `&&` chain (with
// shell-quote), `npm run x` and its kin replaced by the script they run, and each command
// classified as a test runner, a recursive run over workspace packages, or anything else.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';
import '../runners/builtin.js';
import { scriptCall, shellQuote } from '../runners/command-line.js';
import { registeredRunners } from '../runners/registry.js';
import { execPrefix, type PackageManager } from './package-manager.js';

/** A registered runner's format: 'vitest' | 'jest' | 'mocha' | 'node-test' | 'pytest', or one registered from the SDK. */
export type RunnerFormat = string;

/** One command of a script. */
export interface Step {
  /** The words as the command receives them; `quoted` is the same words written for a shell. */
  words: string[];
  quoted: string[];
  /** The script the command is written in (after following `npm run x`). */
  script: string;
  /** The script is this one command, with nothing appended by its caller: running the script runs it. */
  whole: boolean;
}

export type Expansion = { steps: Step[] } | { unsplittable: string };

const MAX_DEPTH = 8;

/** The commands of a script joined by `&&`, or why it cannot be split safely. */
export function splitChain(script: string): { words: string[]; quoted: string[] }[] | string {
  // A variable or a command substitution would be expanded (to nothing) by the parser.
  if (/[$`]/.test(script)) return 'it uses shell variables or command substitution';
  const segments: { words: string[]; quoted: string[] }[] = [{ words: [], quoted: [] }];
  for (const token of parse(script)) {
    const last = segments[segments.length - 1];
    if (typeof token === 'string') {
      last.words.push(token);
      last.quoted.push(shellQuote(token));
    } else if ('comment' in token) {
      break;
    } else if (token.op === 'glob') {
      // The shell expands the pattern, as it did in the script.
      last.words.push(token.pattern);
      last.quoted.push(token.pattern);
    } else if (token.op === '&&' && last.words.length) {
      segments.push({ words: [], quoted: [] });
    } else {
      return `it uses the shell operator "${token.op}"`;
    }
  }
  return segments.every((s) => s.words.length) ? segments : 'it has an empty command';
}

/** The script a command runs when it is `npm run x`, `pnpm x`, `yarn x`, `bun run x`… of this package. */
function calledScript(words: string[], scripts: Record<string, string>): { script: string; rest: string[] } | undefined {
  const call = scriptCall(words.join(' '));
  if (call && Object.hasOwn(scripts, call.script)) {
    const rest = words.slice(call.length);
    return { script: call.script, rest: call.manager === 'npm' && rest[0] === '--' ? rest.slice(1) : rest };
  }
  // `pnpm build` and `yarn build` run the script of that name.
  if ((words[0] === 'pnpm' || words[0] === 'yarn') && words[1] && Object.hasOwn(scripts, words[1])) {
    return { script: words[1], rest: words.slice(2) };
  }
  return undefined;
}

/** The commands a script runs, following calls of the package's other scripts. */
export function expandScript(name: string, scripts: Record<string, string>, depth = 0): Expansion {
  const chain = splitChain(scripts[name]);
  if (typeof chain === 'string') return { unsplittable: `script "${name}" (${scripts[name]}): ${chain}` };
  const steps: Step[] = [];
  for (const segment of chain) {
    const called = depth < MAX_DEPTH ? calledScript(segment.words, scripts) : undefined;
    if (!called) {
      steps.push({ ...segment, script: name, whole: chain.length === 1 });
      continue;
    }
    const inner = expandScript(called.script, scripts, depth + 1);
    // A called script without a runner (a build) stays a call: it runs as the user wrote it, hooks and all.
    if ('unsplittable' in inner || !inner.steps.some((s) => classify(s.words))) {
      steps.push({ ...segment, script: name, whole: chain.length === 1 });
      continue;
    }
    if (called.rest.length) {
      // `npm run test:unit -- --coverage`: the words go to the last command of that script.
      const last = inner.steps[inner.steps.length - 1];
      inner.steps[inner.steps.length - 1] = {
        ...last,
        words: [...last.words, ...called.rest],
        quoted: [...last.quoted, ...called.rest.map(shellQuote)],
        whole: false,
      };
    }
    steps.push(...inner.steps);
  }
  return { steps };
}

const isEnv = (word: string): boolean => /^[A-Za-z_]\w*=/.test(word);
/** Words that run the next word: env settings, coverage tools, `npx`, `pnpm exec`, dotenv… */
const WRAPPERS = new Set(['cross-env', 'npx', 'bunx', 'c8', 'nyc', 'env', 'dotenv', 'dotenvx']);

/**
 * Options of the wrappers (and of node) that take the next word as their value: `c8 -r text mocha`,
 * `nyc --reporter lcov jest`, `dotenv -e .env.test -- jest`, `node -r ts-node/register …`. Any other
 * option stands alone (`c8 --100`, `nyc --all`) or carries its value after "=".
 */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  c8: new Set(['-r', '--reporter', '-o', '--reports-dir', '--report-dir', '-x', '--exclude', '-n', '--include', '-e', '--extension', '--src', '--temp-directory', '--config', '--lines', '--functions', '--branches', '--statements', '--merge-async']),
  nyc: new Set(['-r', '--reporter', '-x', '--exclude', '-n', '--include', '-e', '--extension', '-i', '--require', '--report-dir', '--temp-dir', '-t', '--cwd', '--nycrc-path', '--lines', '--functions', '--branches', '--statements']),
  dotenv: new Set(['-e', '-v', '-p', '-c']),
  dotenvx: new Set(['-f', '--env-file', '-e', '--env']),
  npx: new Set(['-p', '--package', '-c', '--call']),
  env: new Set(['-u', '--unset', '-C', '--chdir']),
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--title', '--stack-size']),
};

const RUNNER_BINS = /^(vitest|jest|mocha|_mocha)$/;

/** Index after the options of the wrapper at `at` (and their values), and a "--" that ends them. */
function pastOptions(words: string[], at: number): number {
  const takesValue = VALUE_OPTIONS[path.basename(words[at])];
  let i = at + 1;
  while (i < words.length && words[i].startsWith('-') && words[i] !== '--') {
    i += !words[i].includes('=') && takesValue?.has(words[i]) ? 2 : 1;
  }
  return words[i] === '--' ? i + 1 : i;
}

/**
 * `node [options] node_modules/.bin/jest …`: node running a package's program, whose name is then
 * the program (uuid's `node --throw-deprecation node_modules/.bin/jest`); undefined when node runs
 * anything else (a script of the project, `node --test`).
 */
function nodeRunsBin(words: string[], at: number): number | undefined {
  if (path.basename(words[at]) !== 'node') return undefined;
  const next = pastOptions(words, at);
  return next < words.length && /(^|\/)node_modules\//.test(words[next]) ? next : undefined;
}

/** Index of the word that names the program, past env settings and wrappers. */
export function programAt(words: string[]): number {
  let i = 0;
  for (;;) {
    while (i < words.length && isEnv(words[i])) i++;
    const word = words[i];
    const bin = nodeRunsBin(words, i);
    if (bin !== undefined) i = bin;
    else if (WRAPPERS.has(path.basename(word ?? '')) && i + 1 < words.length) i = pastOptions(words, i);
    else if ((word === 'pnpm' && (words[i + 1] === 'exec' || words[i + 1] === 'dlx')) || (word === 'bun' && words[i + 1] === 'x')) i += 2;
    else if ((word === 'yarn' || word === 'pnpm') && RUNNER_BINS.test(words[i + 1] ?? '')) i++;
    else if (word === 'npm' && words[i + 1] === 'exec') i += words[i + 2] === '--' ? 3 : 2;
    else return i;
  }
}

/** The program's name: `node_modules/.bin/jest` and `node_modules/jest/bin/jest.js` are jest. */
export function programName(word: string | undefined): string {
  return path.basename(word ?? '').replace(/\.[cm]?js$/, '');
}

export interface Classified {
  format: RunnerFormat | 'recursive';
  /** Index of the runner's word. */
  at: number;
  watch: boolean;
  /** Benchmarks (`vitest bench`), not tests. */
  bench?: boolean;
}

const RECURSIVE: RegExp[] = [
  /^pnpm\s(.*\s)?(-r|--recursive|-F|--filter)(\s|$)/,
  /^(turbo|lerna|nx)\s/,
  /^yarn\sworkspaces\s(run|foreach)\s/,
  /^npm\s(.*\s)?(-ws|--workspaces|-w|--workspace)(\s|=|$)/,
];

/** Which test runner a command runs, if any. */
export function classify(words: string[]): Classified | undefined {
  const at = programAt(words);
  const program = programName(words[at]);
  const args = words.slice(at + 1);
  const line = words.slice(at).join(' ');
  if (RECURSIVE.some((pattern) => pattern.test(line))) return { format: 'recursive', at, watch: false };
  // Each runner (src/runners/<runner>/index.ts, or one registered from the SDK) knows its own commands.
  for (const runner of registeredRunners()) {
    const use = runner.script?.(program, args);
    if (use) return { format: runner.format, at, ...use };
  }
  return undefined;
}

/** Commands that check the code rather than prepare it: the tests do not need them to run. */
const CHECK_ONLY = /^(eslint|prettier|biome|stylelint|xo|standard|oxlint|dprint)$/;
const CHECK_SCRIPT = /(^|[:-])(lint|format|fmt|prettier|typecheck|type-check|check-types|types|tsc)([:-]|$)/;

/** Why a command before the runner is not needed as its setup (a lint or type check), or undefined. */
export function checkOnly(words: string[]): string | undefined {
  const at = programAt(words);
  const program = programName(words[at]);
  if (CHECK_ONLY.test(program)) return `${program} checks the code`;
  if (program === 'tsc' && words.includes('--noEmit')) return 'tsc --noEmit only type-checks';
  const call = scriptCall(words.join(' '));
  const script = call?.script ?? ((words[0] === 'pnpm' || words[0] === 'yarn') && words[1] ? words[1] : undefined);
  return script && CHECK_SCRIPT.test(script) ? `script "${script}" checks the code` : undefined;
}

/** Test runners fixloop has no adapter for: run as suites of their own, judged by exit code. */
const OTHER_RUNNERS = /^(borp|tap|ava|karma|playwright|cypress|uvu|tsd|jasmine|tstyche|wdio|nightwatch|testcafe|lab|tape|zora|qunit)$/;

/**
 * The name of the tests a command runs when it runs tests fixloop cannot read one by one (a
 * `test:x` script of this package, another runner), or undefined: such a command is a suite of
 * its own, never a setup step, since a failing test is not a broken build.
 */
export function otherTests(words: string[]): string | undefined {
  const at = programAt(words);
  const program = programName(words[at]);
  const call = scriptCall(words.slice(at).join(' '));
  const script = call?.script ?? ((words[at] === 'pnpm' || words[at] === 'yarn') && words[at + 1] ? words[at + 1] : undefined);
  if (script && /(^|[:-])test([:-]|$)/.test(script)) return script.replace(/^test[:-]/, '');
  if (OTHER_RUNNERS.test(program) || ((program === 'ng' || program === 'bun') && words[at + 1] === 'test')) return program;
  return undefined;
}

/** Programs found on PATH rather than in node_modules/.bin. */
const SYSTEM = new Set(['node', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'corepack', 'deno', 'sh', 'bash', 'env', 'echo', 'rm', 'cp', 'mv', 'mkdir', 'cd', 'cat', 'make', 'true', 'false', 'test', 'exit', 'git', 'docker', 'go', 'cargo', 'pytest', 'python', 'python3', 'pip', 'uv', 'poetry', 'tox']);
/** Programs of npm packages, written with the manager's runner even when node_modules is not installed yet. */
const JS_BINS = new Set(['vitest', 'jest', 'mocha', 'tsc', 'tsx', 'ts-node', 'cross-env', 'c8', 'nyc', 'rimraf', 'turbo', 'lerna', 'nx', 'eslint', 'prettier', 'playwright', 'vite', 'rollup', 'esbuild', 'tsup', 'babel', 'webpack', 'npm-run-all', 'run-s', 'run-p', 'concurrently', 'shx', 'tsdown', 'unbuild']);

/**
 * The command written so that it runs outside `npm run`: a program of the project's
 * dependencies is found in node_modules/.bin only by the package manager's scripts, so it gets the
 * manager's runner (`npx tsc -p .`, `pnpm exec vitest run`).
 */
export function runnable(step: Pick<Step, 'words' | 'quoted'>, dirs: string[], pm: PackageManager): string {
  let at = 0;
  while (at < step.words.length && isEnv(step.words[at])) at++;
  const program = step.words[at] ?? '';
  const bin = !program.includes('/') && !SYSTEM.has(program) && (JS_BINS.has(program) || dirs.some((d) => existsSync(path.join(d, 'node_modules', '.bin', program))));
  return bin ? [...step.quoted.slice(0, at), execPrefix(pm), ...step.quoted.slice(at)].join(' ') : step.quoted.join(' ');
}
