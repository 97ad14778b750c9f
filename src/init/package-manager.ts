// Which package manager a project uses, and the commands `init` writes with it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PackageManagerName } from '../runners/command-line.js';
import { readJson } from './files.js';

export interface PackageManager {
  name: PackageManagerName;
  /** Yarn 1 ("classic") or Yarn 2+ ("berry", which may have no node_modules/.bin at all). */
  yarn?: 'classic' | 'berry';
  /** What told: `packageManager "pnpm@9.1.0"`, `pnpm-lock.yaml`, or `no lockfile`. */
  from: string;
}

const LOCKFILES: [string, PackageManagerName][] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

/** The `packageManager` field of package.json wins (corepack enforces it); then the lockfile; then npm. */
export function detectPackageManager(root: string): PackageManager {
  const field = readJson(path.join(root, 'package.json'))?.packageManager;
  const declared = typeof field === 'string' ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(field) : null;
  if (declared) {
    const name = declared[1] as PackageManagerName;
    const pm: PackageManager = { name, from: `packageManager "${(field as string).split('+')[0]}"` };
    if (name === 'yarn') pm.yarn = Number(declared[2]) >= 2 ? 'berry' : 'classic';
    return pm;
  }
  const lock = LOCKFILES.find(([file]) => existsSync(path.join(root, file)));
  if (!lock) return { name: 'npm', from: 'no lockfile' };
  const pm: PackageManager = { name: lock[1], from: lock[0] };
  if (pm.name === 'yarn') pm.yarn = existsSync(path.join(root, '.yarnrc.yml')) ? 'berry' : 'classic';
  return pm;
}

/**
 * The command that runs a package.json script; the runners append their arguments to it. Not
 * `pnpm test`: pnpm 9 reads options such as `--reporter` after it as its own, pnpm 10 does not;
 * `pnpm run test` forwards them in both. Not `bun test`: that is bun's own test runner.
 */
export function runScript(pm: PackageManager, script: string): string {
  if (script === 'test' && (pm.name === 'npm' || pm.name === 'yarn')) return `${pm.name} test`;
  return `${pm.name} run ${script}`;
}

/** The prefix that runs a binary of the project's dependencies (node_modules/.bin, or Yarn's PnP). */
export function execPrefix(pm: PackageManager): string {
  return { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[pm.name];
}
