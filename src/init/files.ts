// Reading a project's files without failing on the ones that are missing or malformed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Json = Record<string, unknown>;

export function readJson(file: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first file of `dir` whose name matches, e.g. `vitest.config.mts`. */
export function findFile(dir: string, pattern: RegExp): string | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort()[0];
}

/** The package.json scripts of `dir`. */
export function scriptsOf(pkg: Json | undefined): Record<string, string> {
  const scripts = pkg?.scripts;
  if (!scripts || typeof scripts !== 'object') return {};
  return Object.fromEntries(Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
