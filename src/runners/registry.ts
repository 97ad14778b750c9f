// The test runners fixloop knows, by the `format` name a suite gives: each one a folder of
// src/runners/ (its adapter, parsers, version-dependent flags) that exports a RunnerDefinition,
// registered in builtin.ts. An SDK user's runner joins with `registerRunner()` (or createLoop's
// `adapters`): the policy then accepts its format, `format: "auto"` and `fixloop init` recognise
// its command, and discovery asks it to count its tests.
import type { Discovery } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import type { CommandResult } from './process.js';
import type { ProgressCounter } from './progress.js';
import type { TestRunnerAdapter } from './types.js';

/** How a script's command uses the runner, for `fixloop init`. */
export interface ScriptUse {
  /** Watch mode: it never ends, so init does not write it as a suite. */
  watch: boolean;
  /** Benchmarks (`vitest bench`), not tests. */
  bench?: boolean;
}

export interface DiscoverContext {
  /** The suite's directory. */
  dir: string;
  /** The suite's command, or the script it runs when it is `npm test` / `npm run x`. */
  text: string;
  /** Runs a command in the suite's directory, bounded by the suite's timeout. */
  run(command: string): Promise<CommandResult>;
}

export interface RunnerDefinition {
  /** The name suites give as `format` (lower case, letters, digits and dashes). */
  format: string;
  adapter: TestRunnerAdapter;
  /** For `format: "auto"`: whether a command line (or the script it runs) runs this runner. */
  detect?: (command: string) => boolean;
  /**
   * For `fixloop init`: given the program of one command of a script (`vitest`, `node`…) and
   * its arguments, how the command uses this runner, or undefined when it does not run it.
   */
  script?: (program: string, args: string[]) => ScriptUse | undefined;
  /** Counts a suite's tests without running them; without it discovery says `cannotList`. */
  discover?: (suite: SuiteConfig, ctx: DiscoverContext) => Promise<Discovery>;
  /** Why the runner cannot list its tests without running them. */
  cannotList?: string;
  /** A new counter of the suite's progress from its output as it comes (the status line's "34 tests"). */
  progress?: () => ProgressCounter;
}

/** The formats fixloop ships, in the order `format: "auto"` tries them. */
export const BUILTIN_FORMATS = ['vitest', 'jest', 'node-test', 'pytest', 'mocha', 'junit', 'exit-code'] as const;

const runners = new Map<string, RunnerDefinition>();

export class RunnerRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerRegistryError';
  }
}

/**
 * Adds a runner, or replaces the one of the same format (a user's adapter for a shipped format
 * wins). A user's runners are tried before the shipped ones by `format: "auto"` and `init`.
 */
export function registerRunner(definition: RunnerDefinition): void {
  const { format, adapter } = definition;
  if (!/^[a-z][a-z0-9-]*$/.test(format) || format === 'auto') {
    throw new RunnerRegistryError(`registerRunner: format "${format}" must be lower-case letters, digits and dashes, and not "auto".`);
  }
  if (adapter.format !== format) {
    throw new RunnerRegistryError(`registerRunner: the adapter's format is "${adapter.format}", the definition's "${format}"; they must be the same.`);
  }
  runners.delete(format);
  runners.set(format, definition);
}

export function runnerDefinition(format: string): RunnerDefinition | undefined {
  return runners.get(format);
}

/** Registered runners in the order detection and init consult them: a user's, the latest first, then the shipped ones. */
export function registeredRunners(): RunnerDefinition[] {
  const builtin = new Set<string>(BUILTIN_FORMATS);
  const added = [...runners.values()].filter((r) => !builtin.has(r.format)).reverse();
  return [...added, ...BUILTIN_FORMATS.flatMap((format) => runners.get(format) ?? [])];
}

/** Every format a suite may name: the shipped ones, those registered, and `extra` (createLoop's adapters). */
export function knownFormats(extra: Iterable<string> = []): string[] {
  return [...new Set<string>([...BUILTIN_FORMATS, ...runners.keys(), ...extra])];
}
