// The suites of one package: its test scripts (split into setup steps and the runner), and the
// runners its config files name that no script runs.
import path from 'node:path';
import { readJson, scriptsOf } from './files.js';
import { configuredCommand, configuredRunners, unusedConfig } from './js-config.js';
import { runScript, type PackageManager } from './package-manager.js';
import { recursiveScripts } from './recursive.js';
import { checkOnly, classify, expandScript, otherTests, programAt, programName, runnable, splitChain, type Classified, type RunnerFormat, type Step } from './scripts.js';

export interface FoundSuite {
  name: string;
  command: string;
  format: RunnerFormat | 'exit-code';
  timeoutSec: number;
  cwd?: string;
  setup?: string[];
  /** Equal for suites that run the same tests: the directory and the runner's own words. */
  key: string;
  /** Where it was found, for `init`'s output. */
  from: string;
  /** The `test` script runs no runner fixloop knows (a wrapper CLI such as `ts-scripts test`): judged by exit code. Its program's name. */
  wrapper?: string;
}

export interface PackageFindings {
  suites: FoundSuite[];
  /** What was skipped, and why. */
  skipped: string[];
  /** The script that runs the tests of the workspace packages (`pnpm -r test`, `turbo run test`). */
  recursive?: string;
  /** The scripts that run in each package, when the recursive command says (`turbo run test test-types`: test, test-types). */
  recursiveScripts?: string[];
}

export interface PackageContext {
  root: string;
  pm: PackageManager;
  /** The package's directory relative to the root; unset for the root itself. */
  cwd?: string;
  /** Put before suite names: the package's name in a workspace. */
  prefix?: string;
  /** Only these scripts run (the root's recursive run names them); unset: every test script. */
  only?: { scripts: string[]; by: string };
}

/** Options that choose a different set of tests or a different setup: suites that differ in them are different suites. */
const IDENTITY = /^(--config|-c|--project|--projects|--selectProjects|--root|-r|--dir|--env|--environment|--testEnvironment|--workspace|--spec|--require|--import|--experimental-loader|--loader|-m|-k|--rootdir)$/;
/** Options that take a value, among those that do not change which tests exist (filters, reporters, workers). */
const WITH_VALUE = /^(-t|--testNamePattern|--grep|-g|--fgrep|--tags-filter|--reporter|--shard|--maxWorkers|-w|--bail|--timeout|--retry|--testTimeout|--pool|--outputFile|--coverage\.\w+|--test-name-pattern|--test-concurrency)$/;

/**
 * What makes two suites the same tests: the directory, the runner, the options that pick a config,
 * project or environment, and the paths it names. Filters (`-t`, `--tags-filter`), coverage,
 * reporters and `run` do not: a `test:fast` or `test:coverage` next to `test` runs no tests of its own.
 */
function suiteKey(cwd: string | undefined, step: Step, runner: Classified): string {
  const args = step.words.slice(runner.at + 1);
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (!args[i].startsWith('-')) {
      if (!(i === 0 && args[i] === 'run')) kept.push(args[i]);
    } else if (IDENTITY.test(flag)) {
      kept.push(inline !== undefined ? args[i] : `${flag}=${args[++i] ?? ''}`);
    } else if (inline === undefined && WITH_VALUE.test(flag) && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      i++;
    }
  }
  return [cwd ?? '.', runner.format, ...kept].join(' ');
}

function named(ctx: PackageContext, name: string): string {
  return ctx.prefix ? (name === 'test' ? ctx.prefix : `${ctx.prefix}:${name}`) : name;
}

function fromScript(name: string, script: string): string {
  return `package.json script "${name}": ${JSON.stringify(script)}`;
}

/**
 * The `pre<name>` script the package manager would run before the script (npm, pnpm, Yarn 1 and
 * bun run such hooks; Yarn 2+ does not), as a setup step; lint and type checks are left out.
 */
function preHook(name: string, scripts: Record<string, string>, pm: PackageManager, out: PackageFindings): string | undefined {
  const pre = `pre${name}`;
  if (!Object.hasOwn(scripts, pre) || pm.yarn === 'berry') return undefined;
  const chain = splitChain(scripts[pre]);
  const whys = typeof chain === 'string' ? [] : chain.map((c) => checkOnly(c.words));
  if (whys.length && whys.every(Boolean)) {
    out.skipped.push(`${fromScript(pre, scripts[pre])}: ${whys.join(', ')}, the tests do not need it`);
    return undefined;
  }
  return runScript(pm, pre);
}

/**
 * The commands of a script that are not its runners. Tests fixloop cannot read one by one are
 * suites of their own and lint or type checks before the runner are left out; the indexes of
 * both are returned. What is left prepares the runner's tests (a build): its setup.
 */
function otherSteps(name: string, script: string, steps: Step[], kinds: (Classified | undefined)[], ctx: PackageContext, out: PackageFindings): Set<number> {
  const lastRunner = kinds.findLastIndex((k) => k !== undefined);
  const base = name === 'test' ? 'test' : name.replace(/^test[:-]/, '');
  const notSetup = new Set<number>();
  steps.forEach((s, i) => {
    if (kinds[i]) return;
    const check = checkOnly(s.words);
    const tests = check ? undefined : otherTests(s.words);
    if (tests) {
      notSetup.add(i);
      out.suites.push({
        name: named(ctx, tests === 'test' ? `${base}-${i + 1}` : tests),
        command: runnable(s, [path.join(ctx.root, ctx.cwd ?? ''), ctx.root], ctx.pm),
        format: 'exit-code',
        timeoutSec: 600,
        cwd: ctx.cwd,
        key: `${ctx.cwd ?? '.'} ${s.words.join(' ')}`,
        from: `${fromScript(name, script)}, tests fixloop has no adapter for; judged by exit code`,
      });
    } else if (check && i < lastRunner) {
      notSetup.add(i);
      out.skipped.push(`\`${s.quoted.join(' ')}\` before the runner in script "${name}": ${check}, the tests do not need it`);
    }
  });
  return notSetup;
}

/** The suites one test script gives, or why it gives none. */
function scriptSuites(name: string, scripts: Record<string, string>, ctx: PackageContext, out: PackageFindings): void {
  const script = scripts[name];
  const base = name === 'test' ? 'test' : name.replace(/^test[:-]/, '');
  const dirs = [path.join(ctx.root, ctx.cwd ?? ''), ctx.root];
  const whole = { name: named(ctx, base), command: runScript(ctx.pm, name), timeoutSec: 600, cwd: ctx.cwd, key: `${ctx.cwd ?? '.'} script ${name}` };
  const expanded = expandScript(name, scripts);
  const steps = 'steps' in expanded ? expanded.steps : [];
  const kinds = steps.map((s) => classify(s.words));
  const recursive = kinds.findIndex((k) => k?.format === 'recursive');
  if (recursive >= 0) {
    if (!out.recursive) {
      out.recursive = fromScript(name, script);
      out.recursiveScripts = recursiveScripts(steps[recursive].words.slice(kinds[recursive]!.at));
    }
    return;
  }
  const runners = kinds.flatMap((k, i) => (k ? [i] : []));
  if (runners.length === 0) {
    const why = 'unsplittable' in expanded ? `kept whole: ${expanded.unsplittable}` : 'no test runner in it';
    // The project's own `test` script is what "the tests pass" means to it; a `test:x` without a
    // runner is most often a lint, type or package check, which the loop does not repair.
    if (name === 'test') {
      const wrapper = 'steps' in expanded && steps.length > 0 && !steps.some((s) => otherTests(s.words)) ? programName(steps[0].words[programAt(steps[0].words)]) : undefined;
      out.suites.push({ ...whole, format: 'exit-code', from: `${fromScript(name, script)}, ${why}; judged by exit code`, ...(wrapper ? { wrapper } : {}) });
    }
    else out.skipped.push(`${fromScript(name, script)}: ${why}; give it a suite of its own ("format": "exit-code") if the loop should keep it passing`);
    return;
  }
  const unwanted = runners.find((i) => kinds[i]!.watch || kinds[i]!.bench);
  if (unwanted !== undefined) {
    out.skipped.push(`${fromScript(name, script)}: ${kinds[unwanted]!.watch ? 'watch mode' : 'benchmarks, not tests'}`);
    return;
  }
  const notSetup = otherSteps(name, script, steps, kinds, ctx, out);
  const hook = preHook(name, scripts, ctx.pm, out);
  runners.forEach((at, n) => {
    const runner = kinds[at]!;
    const step = steps[at];
    const setup = steps
      .slice(0, at)
      .filter((_, i) => !kinds[i] && !notSetup.has(i))
      .map((s) => runnable(s, dirs, ctx.pm));
    // A script that is just the runner is run as the script: what the user runs, and the
    // runner's arguments appended to it reach the runner.
    const command = step.whole ? runScript(ctx.pm, step.script) : runnable(step, dirs, ctx.pm);
    // The manager runs `pretest` before `test` only: a suite that runs something else runs it first.
    if (hook && command !== runScript(ctx.pm, name)) setup.unshift(hook);
    // Several runners: each is named after the script it is written in, when that is another one.
    const own = step.script !== name ? step.script.replace(/^test[:-]/, '') : n === 0 ? base : `${base}-${n + 1}`;
    out.suites.push({
      name: named(ctx, runners.length === 1 ? base : own),
      command,
      format: runner.format as RunnerFormat,
      timeoutSec: runner.format === 'pytest' ? 900 : 600,
      ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
      ...(setup.length ? { setup } : {}),
      key: suiteKey(ctx.cwd, step, runner),
      from: `${fromScript(name, script)}${step.script !== name ? ` (via script "${step.script}")` : ''}`,
    });
  });
  for (const s of steps.slice(runners[runners.length - 1] + 1)) {
    if (!checkOnly(s.words) && otherTests(s.words)) continue;
    out.skipped.push(
      `\`${s.quoted.join(' ')}\` after the runner in script "${name}": not a test runner; give it a suite of its own ("format": "exit-code") if the loop should keep it passing`,
    );
  }
}

/** The test scripts of a package, in the order they are read (`test` first), and notes on those the root does not run. */
function testScripts(scripts: Record<string, string>, ctx: PackageContext, out: PackageFindings): string[] {
  const names = Object.keys(scripts).filter((n) => n === 'test' || n.startsWith('test:'));
  if (!ctx.only) return names.sort((a, b) => Number(b === 'test') - Number(a === 'test'));
  for (const name of names.filter((n) => !ctx.only!.scripts.includes(n))) out.skipped.push(`${fromScript(name, scripts[name])}: ${ctx.only.by} does not run it`);
  return ctx.only.scripts.filter((n) => Object.hasOwn(scripts, n));
}

/** The suites of the package in `ctx.cwd` (the root when unset). */
export function detectPackage(ctx: PackageContext): PackageFindings {
  const dir = path.join(ctx.root, ctx.cwd ?? '');
  const pkg = readJson(path.join(dir, 'package.json'));
  const scripts = scriptsOf(pkg);
  const out: PackageFindings = { suites: [], skipped: [] };
  const names = testScripts(scripts, ctx, out);
  for (const name of names) {
    if (/no test specified/.test(scripts[name])) out.skipped.push(`${fromScript(name, scripts[name])}: npm's placeholder`);
    else scriptSuites(name, scripts, ctx, out);
  }
  // A package the root's recursive run runs nothing in has no tests of the project's.
  const configs = ctx.only && names.length === 0 ? [] : configuredRunners(dir, pkg);
  for (const config of configs) {
    if (out.suites.some((s) => s.format === config.format) || out.recursive) continue;
    const unused = unusedConfig(config, dir, ctx.root, pkg);
    if (unused) {
      out.skipped.push(`${unused}: a leftover, not a suite`);
      continue;
    }
    const wrapper = out.suites.findIndex((s) => s.wrapper);
    const words = [...configuredCommand(config.format), ...(wrapper >= 0 ? wrapperFlags(out.suites[wrapper].wrapper!, config.format) : [])];
    const suite: FoundSuite = {
      name: named(ctx, wrapper >= 0 || !out.suites.some((s) => s.name === named(ctx, 'test')) ? 'test' : config.format),
      command: runnable({ words, quoted: words }, [dir, ctx.root], ctx.pm),
      format: config.format,
      timeoutSec: 600,
      ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
      key: [ctx.cwd ?? '.', config.format].join(' '),
      from: `${config.from}, no test script runs ${config.format}`,
    };
    if (wrapper >= 0) {
      // The wrapper most likely runs the one runner the package configures (ts-scripts, kcd-scripts):
      // run it directly, for each test's result, instead of one exit code for both.
      const [replaced] = out.suites.splice(wrapper, 1, { ...suite, from: `${config.from}, which the test script most likely runs` });
      out.skipped.push(`${replaced.from.replace(/, [^,]*; judged by exit code$/, '')}: runs no runner fixloop reads; ${config.format} runs directly instead (give the script a suite of its own, "format": "exit-code", if the loop should keep the rest of what it does passing)`);
    } else out.suites.push(suite);
  }
  for (const s of out.suites) {
    if (!s.cwd) delete s.cwd;
    delete s.wrapper;
  }
  return out;
}

/**
 * The options a known wrapper CLI gives the runner it starts, read from its source, so that the
 * runner run directly judges as the wrapper does: @borderless/ts-scripts's `specs` runs `vitest
 * run --passWithNoTests` (pillarjs/path-to-regexp has a spec file with no tests in it).
 */
const WRAPPER_FLAGS: Record<string, Partial<Record<RunnerFormat, string[]>>> = {
  'ts-scripts': { vitest: ['--passWithNoTests'] },
};

function wrapperFlags(wrapper: string, format: RunnerFormat): string[] {
  return WRAPPER_FLAGS[wrapper]?.[format] ?? [];
}

/** Whether a root suite's runner runs the tests of the workspace packages too. */
export function coversProjects(root: string, suites: FoundSuite[]): string | undefined {
  const pkg = readJson(path.join(root, 'package.json'));
  const config = configuredRunners(root, pkg).find((c) => c.projects && suites.some((s) => s.format === c.format));
  if (config) return `${config.from} names the projects: the root ${config.format} runs them all`;
  const jestProjects = suites.find((s) => s.format === 'jest' && /--projects(\s|=)/.test(s.from));
  if (jestProjects) return `jest --projects in the root: it runs them all`;
  const runner = suites.find((s) => s.format === 'vitest' || s.format === 'jest' || s.format === 'node-test');
  return runner ? `the root suite "${runner.name}" (${runner.format}) finds the test files under every package` : undefined;
}
