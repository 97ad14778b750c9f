// pytest: found from its config files or test files; run with the project's own interpreter,
// importing the checkout's code rather than an installed copy.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readText } from './files.js';

export interface PythonSuite {
  command: string;
  /** Why: the file that configures pytest, the interpreter, the import path. */
  from: string;
}

/** The value of `key` in `[section]` of an ini file, '' when the key is there with no value, undefined when either is missing. */
function iniValue(text: string, section: string, key: string): string | undefined {
  let inSection = false;
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      inSection = header[1].trim() === section;
      continue;
    }
    const entry = inSection ? new RegExp(`^\\s*${key.replace('.', '\\.')}\\s*[=:]\\s*(.*)$`).exec(line) : null;
    if (entry) found = entry[1].trim();
  }
  return found;
}

function hasSection(text: string, section: string): boolean {
  return text.split('\n').some((line) => line.trim() === `[${section}]`);
}

/** pytest's config (the file that has it, in pytest's order) and its `pythonpath`, if set. */
function pytestConfig(root: string): { from: string; pythonpath?: string } | undefined {
  const ini: [string, string][] = [
    ['pytest.ini', 'pytest'],
    ['.pytest.ini', 'pytest'],
  ];
  for (const [file, section] of ini) {
    const text = readText(path.join(root, file));
    if (text !== undefined) return { from: file, pythonpath: iniValue(text, section, 'pythonpath') };
  }
  const pyproject = readText(path.join(root, 'pyproject.toml'));
  if (pyproject !== undefined) {
    let options: Record<string, unknown> | undefined;
    try {
      const tool = (parseToml(pyproject) as { tool?: { pytest?: { ini_options?: Record<string, unknown> } } }).tool;
      options = tool?.pytest?.ini_options;
    } catch {
      options = /\[tool\.pytest\.ini_options\]/.test(pyproject) ? {} : undefined;
    }
    if (options) {
      const value = options.pythonpath;
      return { from: 'pyproject.toml [tool.pytest.ini_options]', pythonpath: Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : undefined };
    }
  }
  for (const [file, section] of [
    ['tox.ini', 'pytest'],
    ['setup.cfg', 'tool:pytest'],
  ] as const) {
    const text = readText(path.join(root, file));
    if (text !== undefined && hasSection(text, section)) return { from: `${file} [${section}]`, pythonpath: iniValue(text, section, 'pythonpath') };
  }
  return undefined;
}

function testFiles(root: string): string | undefined {
  if (existsSync(path.join(root, 'conftest.py'))) return 'conftest.py';
  for (const dir of ['tests', 'test']) {
    const d = path.join(root, dir);
    if (existsSync(d) && readdirSync(d).some((f) => /^test_.*\.py$|_test\.py$/.test(f))) return `${dir}/test_*.py`;
  }
  return undefined;
}

/** A `src/` layout: the project's packages live in src/, which Python does not import from unless told. */
function srcLayout(root: string): boolean {
  const src = path.join(root, 'src');
  if (!existsSync(src)) return false;
  return readdirSync(src, { withFileTypes: true }).some(
    (e) => (e.isDirectory() && existsSync(path.join(src, e.name, '__init__.py'))) || (e.isFile() && e.name.endsWith('.py')),
  );
}

/** The pytest suite of `root`, if it has one. */
export function detectPytest(root: string): PythonSuite | undefined {
  const config = pytestConfig(root);
  const files = testFiles(root);
  if (!config && !files) return undefined;
  const python = ['.venv/bin/python', 'venv/bin/python'].find((p) => existsSync(path.join(root, p)));
  const why = [config?.from ?? files!];
  why.push(python ? `the project's ${python}` : 'python3 (no .venv/bin/python or venv/bin/python)');
  let prefix = '';
  if (srcLayout(root)) {
    if (config?.pythonpath) why.push(`pythonpath = ${config.pythonpath} is configured`);
    else {
      // Without it the tests would import an installed copy of the package, or nothing.
      prefix = 'PYTHONPATH=src ';
      why.push('src/ layout without pythonpath: the tests import src/ of this checkout');
    }
  }
  return { command: `${prefix}${python ?? 'python3'} -m pytest`, from: why.join('; ') };
}
