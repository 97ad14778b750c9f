// `fixloop init`: detect the project's test runners and write a starting loop.policy.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePolicy, type PolicyInput } from './policy/index.js';
import { detectFormat } from './runners/auto.js';

export interface InitResult {
  file: string;
  policy: PolicyInput;
  /** One line per suite: what was found where. */
  notes: string[];
}

export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitError';
  }
}

type Suite = { name: string; command: string; format: string; timeoutSec: number };

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function hasPytest(root: string): string | undefined {
  if (existsSync(path.join(root, 'pytest.ini'))) return 'pytest.ini';
  if (existsSync(path.join(root, 'conftest.py'))) return 'conftest.py';
  const pyproject = path.join(root, 'pyproject.toml');
  if (existsSync(pyproject) && /\[tool\.pytest/.test(readFileSync(pyproject, 'utf8'))) return 'pyproject.toml [tool.pytest]';
  for (const dir of ['tests', 'test']) {
    const d = path.join(root, dir);
    if (existsSync(d) && readdirSync(d).some((f) => /^test_.*\.py$|_test\.py$/.test(f))) return `${dir}/test_*.py`;
  }
  return undefined;
}

/** The suites a project's files describe, with a note on where each was found. */
export function detectSuites(root: string): { suites: Suite[]; notes: string[] } {
  const suites: Suite[] = [];
  const notes: string[] = [];
  const pkg = readJson(path.join(root, 'package.json'));
  const scripts = (pkg?.scripts ?? {}) as Record<string, string>;
  for (const [name, script] of Object.entries(scripts)) {
    if (name !== 'test' && !name.startsWith('test:')) continue;
    if (/no test specified/.test(script)) continue;
    const command = name === 'test' ? 'npm test' : `npm run ${name}`;
    const { format, warning } = detectFormat(command, root);
    suites.push({ name: name === 'test' ? 'test' : name.slice(5), command, format: warning ? 'exit-code' : format, timeoutSec: 600 });
    notes.push(`${command}: package.json script "${script}" → ${warning ? 'exit-code (no runner recognised)' : format}`);
  }
  if (suites.length === 0 && readdirSync(root).some((f) => /^vitest\.config\./.test(f))) {
    suites.push({ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 });
    notes.push('npx vitest run: a vitest config and no test script');
  }
  const pytest = hasPytest(root);
  if (pytest && !suites.some((s) => s.format === 'pytest')) {
    suites.push({ name: suites.some((s) => s.name === 'test') ? 'python' : 'test', command: 'python3 -m pytest', format: 'pytest', timeoutSec: 900 });
    notes.push(`python3 -m pytest: ${pytest}`);
  }
  return { suites, notes };
}

/** Writes loop.policy.json (refusing to replace one unless `force`); returns what it wrote. */
export function initPolicy(root: string, opts: { force?: boolean } = {}): InitResult {
  const file = path.join(root, 'loop.policy.json');
  if (existsSync(file) && !opts.force) throw new InitError(`${file} already exists; pass --force to replace it.`);
  const { suites, notes } = detectSuites(root);
  if (suites.length === 0) {
    throw new InitError(
      `No test runner found in ${root} (package.json test scripts, a vitest config, pytest.ini / pyproject.toml / conftest.py / tests/test_*.py). Write loop.policy.json by hand: {"suites":[{"name":"unit","command":"<your test command>"}]}.`,
    );
  }
  const policy: PolicyInput = {
    $schema: './node_modules/fixloop/docs/policy.schema.json',
    $comment: 'Written by `fixloop init`. Each suite is a command fixloop runs and keeps green; every field and its default is in the schema above and in the README.',
    suites: suites as PolicyInput['suites'],
    budget: { maxIterations: 5, maxAttemptsPerProblem: 5 },
    flaky: { reruns: 2 },
  };
  parsePolicy(policy, file); // what init writes must load
  writeFileSync(file, `${JSON.stringify(policy, null, 2)}\n`);
  return { file, policy, notes };
}
