// Test runners a JavaScript package configures in files of its own, with or without a script
// that runs them: vitest, jest and mocha configs, and whether one runner covers several projects.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findFile, readJson, readText, type Json } from './files.js';

export interface ConfiguredRunner {
  format: 'vitest' | 'jest' | 'mocha';
  /** The file (or package.json key) that configures it. */
  from: string;
  /** The runner runs several projects from here (vitest projects/workspace, jest projects). */
  projects: boolean;
}

const CONFIG = '\\.(c|m)?(j|t)sx?$|\\.json$';

function vitestConfig(dir: string): ConfiguredRunner | undefined {
  const workspace = findFile(dir, new RegExp(`^vitest\\.workspace(${CONFIG})`));
  if (workspace) return { format: 'vitest', from: workspace, projects: true };
  const vitest = findFile(dir, new RegExp(`^vitest\\.config(${CONFIG})`));
  // A vite config configures vitest only with a `test` key.
  const vite = findFile(dir, new RegExp(`^vite\\.config(${CONFIG})`));
  const viteText = vite ? readText(path.join(dir, vite)) : undefined;
  const file = vitest ?? (viteText && /\btest\s*:/.test(viteText) ? vite : undefined);
  if (!file) return undefined;
  const text = (file === vite ? viteText : readText(path.join(dir, file))) ?? '';
  return { format: 'vitest', from: file, projects: /\b(projects|workspace)\s*:/.test(text) };
}

function jestConfig(dir: string, pkg: Json | undefined): ConfiguredRunner | undefined {
  const file = findFile(dir, new RegExp(`^jest\\.config(${CONFIG})`));
  if (file) return { format: 'jest', from: file, projects: /\bprojects\s*["']?\s*:/.test(readText(path.join(dir, file)) ?? '') };
  const inPkg = pkg?.jest;
  if (inPkg && typeof inPkg === 'object') return { format: 'jest', from: 'package.json "jest"', projects: 'projects' in inPkg };
  return undefined;
}

function mochaConfig(dir: string, pkg: Json | undefined): ConfiguredRunner | undefined {
  const file = findFile(dir, /^\.mocharc\.(c?js|json|jsonc|ya?ml)$/);
  if (file) return { format: 'mocha', from: file, projects: false };
  if (pkg?.mocha && typeof pkg.mocha === 'object') return { format: 'mocha', from: 'package.json "mocha"', projects: false };
  return undefined;
}

/** The runners configured in `dir`, vitest first. */
export function configuredRunners(dir: string, pkg: Json | undefined): ConfiguredRunner[] {
  return [vitestConfig(dir), jestConfig(dir, pkg), mochaConfig(dir, pkg)].filter((r): r is ConfiguredRunner => r !== undefined);
}

/** The command that runs a configured runner once (vitest alone would watch in a terminal). */
export function configuredCommand(format: ConfiguredRunner['format']): string[] {
  return format === 'vitest' ? ['vitest', 'run'] : [format];
}

const RUNNER_PACKAGES: Record<ConfiguredRunner['format'], string[]> = { vitest: ['vitest'], jest: ['jest', 'jest-cli'], mocha: ['mocha'] };
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/**
 * Why a config file's runner is not one the package uses, or undefined: the package (and the
 * workspace root) declare dependencies, none of them the runner, and it is not installed. A config
 * left behind after a move to another runner (commander's jest.config.js next to `node --test`)
 * would otherwise be a suite that cannot run. A package.json without dependencies tells nothing.
 */
export function unusedConfig(config: ConfiguredRunner, dir: string, root: string, pkg: Json | undefined): string | undefined {
  const manifests = [pkg, dir === root ? undefined : readJson(path.join(root, 'package.json'))].filter((m): m is Json => m !== undefined);
  const fields = manifests.flatMap((m) => DEPENDENCY_FIELDS.map((f) => m[f]).filter((d): d is Json => !!d && typeof d === 'object'));
  if (fields.length === 0) return undefined;
  const names = RUNNER_PACKAGES[config.format];
  if (fields.some((deps) => names.some((name) => Object.hasOwn(deps, name)))) return undefined;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (names.some((name) => existsSync(path.join(at, 'node_modules', name, 'package.json')))) return undefined;
    if (at === path.resolve(root) || path.dirname(at) === at) break;
  }
  return `${config.from} configures ${config.format}, but package.json does not depend on ${names.join(' or ')} and it is not installed`;
}
