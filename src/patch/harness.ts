// The test harness: everything the test runner reads besides the code under test. A patch that
// changes it can make the tests pass while the shipped code stays wrong, so none may touch it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import type { FileChange } from '../model.js';
import { DEFAULT_HARNESS } from '../policy/schema.js';


/** Keys of package.json that configure a runner: an edit to one of them is an edit to the harness. */
const PACKAGE_KEYS = ['jest', 'mocha', 'ava', 'vitest', 'c8', 'nyc'];

/** Keys that name setup files in vitest, jest and mocha configurations. */
const SETUP_KEY = /\b(setupFiles|setupFilesAfterEnv|globalSetup|globalTeardown|setupFile|testEnvironment|require|file|spec-helper)\b['"]?\s*[:=]\s*(\[[^\]]*\]|['"][^'"]+['"])/g;

/** Additions to source code that change behaviour only under a test runner. */
export const TEST_DETECTION: [RegExp, string][] = [
  [/\bprocess\.env(\.|\[\s*['"])(VITEST\w*|JEST_WORKER_ID|MOCHA\w*|PYTEST_\w+|NODE_TEST_CONTEXT)\b/, 'detects the test runner from the environment'],
  [/\bNODE_ENV\b['"]?\s*\]?\s*[!=]==?\s*['"]test['"]|['"]test['"]\s*[!=]==?\s*[\w.[\]'"]*NODE_ENV\b/, "branches on NODE_ENV === 'test'"],
  [/\bimport\.meta\.(vitest|env\.(VITEST|MODE|TEST)\b)/, 'detects the test runner through import.meta'],
  [/\btypeof\s+(jest|vi|describe|it|expect)\s*[!=]==?\s*['"]undefined['"]/, 'detects the test runner from its globals'],
  [/\bglobalThis\.(__vitest\w*|jest|vi)\b/, 'detects the test runner from its globals'],
  [/\bexpect\.extend\s*\(/, 'adds a custom matcher (expect.extend)'],
  [/['"](pytest|_pytest|unittest)['"]\s+in\s+sys\.modules/, "detects pytest ('pytest' in sys.modules)"],
  [/\b(os\.environ|getenv)\b[^\n]*PYTEST_/, 'detects pytest from the environment'],
];

export interface HarnessOptions {
  /** Globs of harness files (policy `guard.harness`); `DEFAULT_HARNESS` when absent. */
  globs?: string[];
  /** The checkout, to read which setup files its configurations name. */
  root?: string;
}

/** Why a change edits the test harness, or undefined when it does not. */
export function harnessReason(change: FileChange, opts: HarnessOptions): string | undefined {
  const file = change.path;
  if (picomatch(opts.globs ?? DEFAULT_HARNESS, { dot: true })(file)) {
    if (/(^|\/)__snapshots__\/|\.snap$/.test(file)) return `${file} is a test snapshot`;
    if (/(^|\/)(__mocks__|__fixtures__|testdata)\//.test(file)) return `${file} is a test fixture or mock`;
    return `${file} configures the test runner`;
  }
  const base = path.posix.basename(file);
  if (base === 'package.json') {
    const key = changedKey(change, (text) => JSON.parse(text) as Record<string, unknown>, PACKAGE_KEYS);
    if (key) return `${file}: the change edits "${key}", the test runner's configuration`;
  }
  if (base === 'pyproject.toml') {
    const key = changedKey(change, (text) => (parseToml(text) as { tool?: Record<string, unknown> }).tool ?? {}, ['pytest']);
    if (key) return `${file}: the change edits [tool.${key}], the test runner's configuration`;
  }
  if (opts.root && setupFilesOf(opts.root).has(file)) return `${file} is a setup file the test runner loads`;
  return undefined;
}

/** The first of `keys` whose value differs between the change's before and after, as `read` sees them. */
function changedKey(change: FileChange, read: (text: string) => Record<string, unknown>, keys: string[]): string | undefined {
  const parse = (text: string | null): Record<string, unknown> | undefined => {
    if (text === null) return {};
    try {
      return read(text);
    } catch {
      return undefined;
    }
  };
  const before = parse(change.before);
  const after = parse(change.after);
  // A file that no longer parses changes everything it configured.
  if (!before || !after) return keys[0];
  return keys.find((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

const CONFIG_FILE = /^(vitest\.config|vite\.config|vitest\.workspace|jest\.config|\.mocharc)\.|^\.mocharc$|^package\.json$/;

/**
 * Repository-relative setup files that the configurations at the root and in its first-level
 * package folders name (setupFiles, globalSetup, setupFilesAfterEnv, mocha's require/file).
 */
export function setupFilesOf(root: string): Set<string> {
  const found = new Set<string>();
  for (const dir of configDirs(root)) {
    for (const name of safeList(path.join(root, dir))) {
      if (!CONFIG_FILE.test(name)) continue;
      let text: string;
      try {
        text = readFileSync(path.join(root, dir, name), 'utf8');
      } catch {
        continue;
      }
      for (const match of text.matchAll(SETUP_KEY)) {
        for (const [, spec] of match[2].matchAll(/['"]([^'"]+)['"]/g)) {
          const rel = spec.replace(/^<rootDir>\//, '').replace(/^\.\//, '');
          if (!/^[\w@.][\w@./-]*$/.test(rel) || !/[./]/.test(rel)) continue;
          const file = path.posix.normalize(path.posix.join(dir.split(path.sep).join('/'), rel));
          for (const candidate of [file, ...['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'].map((ext) => file + ext)]) {
            if (existsSync(path.join(root, candidate))) found.add(candidate);
          }
        }
      }
    }
  }
  return found;
}

function configDirs(root: string): string[] {
  const dirs = ['.'];
  for (const top of ['packages', 'apps', 'libs']) {
    for (const name of safeList(path.join(root, top))) dirs.push(path.join(top, name));
  }
  return dirs;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
