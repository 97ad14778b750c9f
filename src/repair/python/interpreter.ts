// Which Python the repairs ask: the one the pytest suite runs, so parse errors, "Did you mean"
// hints and the standard library are the ones the tests see.
import path from 'node:path';
import { simpleWords } from '../../runners/command-line.js';

export interface SuiteLike {
  command: string;
  cwd?: string;
  format?: string;
}

const PYTHON = /^(?:.*\/)?python(?:\d+(?:\.\d+)?)?(?:\.exe)?$/;
const PYTEST = /^(?:(.*)\/)?(?:py\.test|pytest)$/;
const WRAPPERS = new Set(['uv', 'poetry', 'pipenv', 'pdm', 'hatch', 'rye']);

/**
 * The interpreter a suite command runs, as it would be run from `root`:
 * `python3 -m pytest` → python3, `.venv/bin/python -m pytest` → <root>/.venv/bin/python,
 * `.venv/bin/pytest` → <root>/.venv/bin/python, `pytest` → python3. Undefined for a command that
 * runs no Python we can name (then `python3` is the fallback).
 */
export function interpreterOf(command: string, root: string, cwd = '.'): string | undefined {
  const words = simpleWords(command) ?? command.trim().split(/\s+/);
  const rest = words.filter((w, i) => !(/^\w+=/.test(w) && words.slice(0, i).every((v) => /^\w+=/.test(v))));
  const first = rest[0];
  if (!first || WRAPPERS.has(first)) return undefined;
  const resolve = (exe: string) => (exe.includes('/') ? path.resolve(root, cwd, exe) : exe);
  if (PYTHON.test(first)) return resolve(first);
  const pytest = PYTEST.exec(first);
  if (pytest) return pytest[1] !== undefined ? resolve(`${pytest[1]}/python`) : 'python3';
  return undefined;
}

/** The interpreter of the first pytest-like suite, else `python3`. */
export function suitePython(suites: readonly SuiteLike[], root: string): string {
  for (const suite of suites) {
    if (suite.format !== undefined && suite.format !== 'pytest' && suite.format !== 'auto') continue;
    const found = interpreterOf(suite.command, root, suite.cwd);
    if (found) return found;
  }
  return 'python3';
}
