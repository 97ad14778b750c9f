// `fixloop init`: detect the project's test suites and write a starting loop.policy.json that
// runs each of them once, as the project runs them.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicy, type PolicyInput } from '../policy/index.js';
import { detectPackageManager } from './package-manager.js';
import { detectPytest } from './python.js';
import { coversProjects, detectPackage, type FoundSuite } from './suites.js';
import { listWorkspaces, packageName } from './workspaces.js';

export { checkPolicy, type CheckResult, type SuiteCheck } from './check.js';
export { detectPackageManager, type PackageManager } from './package-manager.js';
export type { FoundSuite } from './suites.js';

export interface InitResult {
  file: string;
  policy: PolicyInput;
  /** What was found and why, what was skipped: one line each. */
  notes: string[];
}

export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitError';
  }
}

export type Suite = Pick<FoundSuite, 'name' | 'command' | 'format' | 'timeoutSec' | 'cwd' | 'setup'>;

function describeSuite(s: FoundSuite): string {
  const where = s.cwd ? ` in ${s.cwd}` : '';
  const setup = s.setup ? `; setup first: ${s.setup.map((c) => `\`${c}\``).join(', ')}` : '';
  return `suite "${s.name}": \`${s.command}\`${where} → ${s.format}, from ${s.from}${setup}`;
}

function unique(name: string, taken: FoundSuite[]): string {
  let candidate = name;
  for (let n = 2; taken.some((t) => t.name === candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

/** The suites a project's files describe, with what was found, skipped and why. */
export function detectSuites(root: string): { suites: Suite[]; notes: string[] } {
  const pm = detectPackageManager(root);
  const hasPackageJson = existsSync(path.join(root, 'package.json'));
  const notes: string[] = hasPackageJson ? [`package manager: ${pm.name}${pm.yarn ? ` (${pm.yarn})` : ''}, from ${pm.from}`] : [];
  const skipped: string[] = [];
  const rootFound = detectPackage({ root, pm });
  const found = [...rootFound.suites];
  skipped.push(...rootFound.skipped);
  const workspaces = listWorkspaces(root);
  if (workspaces) {
    const covered = rootFound.recursive ? undefined : coversProjects(root, rootFound.suites);
    notes.push(`workspaces: ${workspaces.packages.length} package${workspaces.packages.length === 1 ? '' : 's'}, from ${workspaces.from}${rootFound.recursive ? `; the root runs them through ${rootFound.recursive}: one suite per package, for each runner's own report` : ''}`);
    if (covered) skipped.push(`the workspace packages' own suites: ${covered}`);
    else {
      const only = rootFound.recursive && rootFound.recursiveScripts ? { scripts: rootFound.recursiveScripts, by: `the root's ${rootFound.recursive}` } : undefined;
      for (const dir of workspaces.packages) {
        const inner = detectPackage({ root, pm, cwd: dir, prefix: packageName(root, dir), ...(only ? { only } : {}) });
        found.push(...inner.suites);
        skipped.push(...inner.skipped.map((s) => `${dir}: ${s}`));
      }
    }
  } else if (rootFound.recursive) {
    skipped.push(`${rootFound.recursive}: runs workspace packages, but no pnpm-workspace.yaml or "workspaces" lists any`);
  }
  const python = detectPytest(root);
  if (python) {
    const name = found.some((s) => s.name === 'test') ? 'python' : 'test';
    found.push({ name, command: python.command, format: 'pytest', timeoutSec: 900, key: '. pytest', from: python.from });
  }
  const suites: FoundSuite[] = [];
  for (const s of found) {
    const same = suites.find((t) => t.key === s.key);
    if (same) skipped.push(`${s.cwd ? `${s.cwd}: ` : ''}${s.from}: same tests as suite "${same.name}"`);
    else suites.push({ ...s, name: unique(s.name, suites) });
  }
  notes.push(...suites.map(describeSuite), ...skipped.map((s) => `skipped ${s}`));
  return { suites: suites.map(({ key: _key, from: _from, ...suite }) => suite), notes };
}

/** Where fixloop's own docs/policy.schema.json is: next to this module in src/init/ or dist/init/. */
function installedSchema(): string {
  return fileURLToPath(new URL('../../docs/policy.schema.json', import.meta.url));
}

/**
 * `$schema` for a policy in `root`: the copy in the project's node_modules when fixloop is
 * installed there, else wherever this fixloop is, relative to the policy; never a path that
 * does not exist.
 */
export function schemaRef(root: string, schema = installedSchema()): string | undefined {
  const local = path.join(root, 'node_modules', 'fixloop', 'docs', 'policy.schema.json');
  const file = existsSync(local) ? local : existsSync(schema) ? schema : undefined;
  if (!file) return undefined;
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** The policy `init` writes for `root`, checked against the schema. */
export function initialPolicy(root: string): { policy: PolicyInput; notes: string[] } {
  const { suites, notes } = detectSuites(root);
  if (suites.length === 0) {
    throw new InitError(
      `No test runner found in ${root} (package.json test scripts, vitest/jest/mocha configs, pytest.ini / pyproject.toml / setup.cfg / tox.ini / conftest.py / tests/test_*.py). Write loop.policy.json by hand: {"suites":[{"name":"unit","command":"<your test command>"}]}.`,
    );
  }
  const schema = schemaRef(root);
  const policy: PolicyInput = {
    ...(schema ? { $schema: schema } : {}),
    $comment: 'Written by `fixloop init`. Each suite is a command fixloop runs and keeps green; every field and its default is in the schema above and in the README.',
    suites: suites as PolicyInput['suites'],
    budget: { maxIterations: 5, maxAttemptsPerProblem: 5 },
    flaky: { reruns: 2 },
  };
  parsePolicy(policy, path.join(root, 'loop.policy.json')); // what init writes must load
  return { policy, notes };
}

/** Writes loop.policy.json (refusing to replace one unless `force`); returns what it wrote. */
export function initPolicy(root: string, opts: { force?: boolean } = {}): InitResult {
  const file = path.join(root, 'loop.policy.json');
  if (existsSync(file) && !opts.force) throw new InitError(`${file} already exists; pass --force to replace it, or --check to try it.`);
  const { policy, notes } = initialPolicy(root);
  writeFileSync(file, `${JSON.stringify(policy, null, 2)}\n`);
  return { file, policy, notes };
}
