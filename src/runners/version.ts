// Which version of a test runner a suite runs, so each adapter passes only the flags that version
// has (vitest 1 and 2 end the whole run at `--includeTaskLocation`, node 18 has no `suite` events…).
// Learned once per (directory, runner) for the process: a loop runs the same suite many times.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface RunnerVersion {
  /** "1.6.1"; undefined when it could not be learned (the adapter then assumes the newest). */
  version?: string;
  major?: number;
  minor?: number;
  /** Where it was learned: the package.json read or the command run. */
  from: string;
}

const cache = new Map<string, Promise<RunnerVersion>>();

/** Forget every version learned (tests, and a caller that installed another runner meanwhile). */
export function clearVersionCache(): void {
  cache.clear();
}

function parsed(version: string | undefined, from: string): RunnerVersion {
  const match = version ? /(\d+)\.(\d+)(?:\.\d+)?/.exec(version) : null;
  if (!match) return { from };
  return { version: match[0], major: Number(match[1]), minor: Number(match[2]), from };
}

/**
 * The version of the first of `packages` that Node would load from `dir`: each name's
 * `node_modules/<name>/package.json` in `dir` and then in every directory above it.
 */
export function installedPackageVersion(packages: string[], dir: string): RunnerVersion {
  for (const name of packages) {
    for (let at = path.resolve(dir); ; at = path.dirname(at)) {
      const file = path.join(at, 'node_modules', name, 'package.json');
      if (existsSync(file)) {
        try {
          return parsed((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version, file);
        } catch {
          return { from: file };
        }
      }
      if (path.dirname(at) === at) break;
    }
  }
  return { from: `no ${packages.join(' or ')} in node_modules from ${dir} up` };
}

/** The installed package's version, read once per directory and package list. */
export function packageVersion(packages: string[], dir: string): Promise<RunnerVersion> {
  const key = `pkg\u0000${packages.join(',')}\u0000${path.resolve(dir)}`;
  let known = cache.get(key);
  if (!known) {
    known = Promise.resolve(installedPackageVersion(packages, dir));
    cache.set(key, known);
  }
  return known;
}

/**
 * The version a shell command prints (`node --version`, `python -m pytest --version`), found in its
 * output by `pattern` (first group); run once per directory and command. A command that fails or
 * prints no version leaves it unknown.
 */
export function commandVersion(command: string, dir: string, pattern: RegExp, env?: Record<string, string>): Promise<RunnerVersion> {
  const key = `cmd\u0000${command}\u0000${path.resolve(dir)}`;
  let known = cache.get(key);
  if (!known) {
    known = new Promise((resolve) => {
      execFile('/bin/sh', ['-c', command], { cwd: dir, env: { ...process.env, ...env }, timeout: 30_000 }, (_error, stdout, stderr) => {
        resolve(parsed(pattern.exec(`${stdout}\n${stderr}`)?.[1], `\`${command}\``));
      });
    });
    cache.set(key, known);
  }
  return known;
}

/** At least `major`.`minor`; an unknown version counts as new enough (the flags fixloop has always used). */
export function atLeast(version: RunnerVersion, major: number, minor = 0): boolean {
  if (version.major === undefined) return true;
  return version.major > major || (version.major === major && (version.minor ?? 0) >= minor);
}

/** How a warning names the version: "vitest 1.6.1". */
export function named(runner: string, version: RunnerVersion): string {
  return version.version ? `${runner} ${version.version}` : runner;
}
