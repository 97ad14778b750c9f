// Runners print colour when the user's environment asks for it (FORCE_COLOR, CI, a TERM): fixloop
// does not turn it off behind the tests' back, so every adapter must read coloured output the same.
import { execaCommand } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SuiteRun } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { JestAdapter, NodeTestAdapter, PytestAdapter, VitestAdapter, type TestRunnerAdapter } from '../../src/runners/index.js';
import { fixtureProject, removeProjects } from './projects.js';

afterEach(() => {
  vi.unstubAllEnvs();
  removeProjects();
});

// Sorted: jest runs files in parallel, so their order varies between runs.
const brief = (run: SuiteRun) => ({
  blocker: run.blocker,
  totals: run.totals,
  tests: run.tests.map((t) => [t.id, t.status, t.failure?.message, t.failure?.errorName, t.failure?.location]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  loads: run.loadFailures.map((l) => [l.file, l.failure.message, l.failure.location]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
});

// The last column runs the runner as a person would, to see that it does print colour here.
const cases: [string, string, TestRunnerAdapter, string, object, string][] = [
  ['vitest', 'assertions', new VitestAdapter(), 'npx vitest run', { type: 'module' }, 'npx vitest run'],
  ['vitest', 'missing-module', new VitestAdapter(), 'npx vitest run', { type: 'module' }, 'npx vitest run'],
  ['jest', 'failing', new JestAdapter(), 'npx jest', { name: 'failing' }, 'npx jest'],
  ['jest', 'load', new JestAdapter(), 'npx jest', { name: 'load' }, 'npx jest'],
  ['node-test', 'failing', new NodeTestAdapter(), 'node --test', { type: 'module' }, 'node --test --test-reporter=spec'],
  ['pytest', 'failing', new PytestAdapter(), 'python3 -m pytest -p no:cacheprovider', {}, 'python3 -m pytest -p no:cacheprovider'],
];

describe.each(cases)('%s on %s, coloured', (runner, name, adapter, command, pkg, byHand) => {
  it('reads the same results as without colour', async () => {
    const suite: SuiteConfig = { name: 'unit', command, format: runner as SuiteConfig['format'], timeoutSec: 120 };
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', undefined);
    const plain = await adapter.run(suite, { cwd: fixtureProject(runner, name, pkg) });
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', '1');
    vi.stubEnv('PY_COLORS', '1');
    const cwd = fixtureProject(runner, name, pkg);
    // The runner does colour its output in this environment (fixloop's log and parsers see it without).
    const printed = await execaCommand(byHand, { cwd, all: true, reject: false });
    expect(printed.all).toMatch(/\u001b\[\d+m/);
    const coloured = await adapter.run(suite, { cwd });
    expect(brief(coloured)).toEqual(brief(plain));
    expect(coloured.tests.length + coloured.loadFailures.length).toBeGreaterThan(0);
  }, 60_000);
});
