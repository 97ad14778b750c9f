// The packages of a monorepo: pnpm-workspace.yaml, or `workspaces` in package.json (npm, yarn,
// bun), their globs expanded.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { readJson, readText } from './files.js';

export interface Workspaces {
  /** Package directories relative to the root, sorted. */
  packages: string[];
  /** The file that lists them. */
  from: string;
}

function patternsOf(root: string): { patterns: string[]; from: string } | undefined {
  const yamlFile = path.join(root, 'pnpm-workspace.yaml');
  if (existsSync(yamlFile)) {
    let doc: unknown;
    try {
      doc = parseYaml(readText(yamlFile) ?? '');
    } catch {
      return undefined;
    }
    const packages = (doc as { packages?: unknown } | null)?.packages;
    return { patterns: Array.isArray(packages) ? packages.filter((p): p is string => typeof p === 'string') : [], from: 'pnpm-workspace.yaml' };
  }
  const field = readJson(path.join(root, 'package.json'))?.workspaces;
  // npm and yarn take an array; yarn classic also `{ packages: [...] }`.
  const list = Array.isArray(field) ? field : (field as { packages?: unknown } | undefined)?.packages;
  if (!Array.isArray(list)) return undefined;
  return { patterns: list.filter((p): p is string => typeof p === 'string'), from: 'package.json "workspaces"' };
}

/** The workspace packages of `root` (directories with a package.json), or undefined for a single package. */
export function listWorkspaces(root: string): Workspaces | undefined {
  const found = patternsOf(root);
  if (!found || found.patterns.length === 0) return undefined;
  const include = found.patterns.filter((p) => !p.startsWith('!')).map((p) => `${p.replace(/\/+$/, '')}/package.json`);
  const ignore = ['**/node_modules/**', ...found.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))];
  const files = globSync(include, { cwd: root, ignore, onlyFiles: true, expandDirectories: false });
  const packages = [...new Set(files.map((f) => path.posix.dirname(f)))].filter((dir) => dir !== '.').sort();
  return { packages, from: found.from };
}

/** The name a workspace package goes by in suite names: its package.json name, else its directory. */
export function packageName(root: string, dir: string): string {
  const name = readJson(path.join(root, dir, 'package.json'))?.name;
  return typeof name === 'string' && name ? name : dir;
}
