// Runners print colour when the user's environment asks for it (FORCE_COLOR, CI, a TERM): fixloop
// does not turn it off behind the tests' back, so every adapter must read coloured output the same.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SuiteRun } from '../../src/model.js';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { JestAdapter, NodeTestAdapter, PytestAdapter, VitestAdapter, type TestRunnerAdapter } from '../../src/runners/index.js';
import { fixtureProject, removeProjects } from './projects.js';

afterEach(() => {
  vi.unstubAllEnvs();
  removeProjects();
});

const brief = (run: SuiteRun) => ({
  blocker: run.blocker,
  totals: run.totals,
  tests: run.tests.map((t) => [t.id, t.status, t.failure?.message, t.failure?.errorName, t.failure?.location]),
  loads: run.loadFailures.map((l) => [l.file, l.failure.message, l.failure.location]),
});

const cases: [string, TestRunnerAdapter, string, string, object][] = [
  ['vitest', new VitestAdapter(), 'assertions', 'npx vitest run', { type: 'module' }],
  ['vitest', new VitestAdapter(), 'missing-module', 'npx vitest run', { type: 'module' }],
  ['jest', new JestAdapter(), 'failing', 'npx jest', { name: 'failing' }],
  ['jest', new JestAdapter(), 'load', 'npx jest', { name: 'load' }],
  ['node-test', new NodeTestAdapter(), 'failing', 'node --test', { type: 'module' }],
  ['pytest', new PytestAdapter(), 'failing', 'python3 -m pytest -p no:cacheprovider', {}],
];

describe.each(cases)('%s on %s, coloured', (runner, adapter, name, command, pkg) => {
  it('reads the same results as without colour', async () => {
    const suite: SuiteConfig = { name: 'unit', command, format: runner as SuiteConfig['format'], timeoutSec: 120 };
    const log = path.join(os.tmpdir(), `fixloop-colour-${runner}-${name}-${process.pid}.log`);
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', undefined);
    const plain = await adapter.run(suite, { cwd: fixtureProject(runner, name, pkg) });
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', '1');
    vi.stubEnv('PY_COLORS', '1');
    const coloured = await adapter.run(suite, { cwd: fixtureProject(runner, name, pkg), logFile: log });
    // The runner did print colour: the log keeps what it printed.
    expect(readFileSync(log, 'utf8')).toMatch(/\u001b\[\d+m/);
    expect(brief(coloured)).toEqual(brief(plain));
    expect(coloured.tests.length + coloured.loadFailures.length).toBeGreaterThan(0);
  }, 60_000);
});
