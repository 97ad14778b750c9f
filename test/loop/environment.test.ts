// A run whose only failure is a package that is not installed: blocked (exit code 3), with what to
// install, and nothing handed to a provider. Its suites see the user's environment minus secrets.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { IterationReportSchema } from '../../src/report/index.js';
import type { PatchProvider } from '../../src/repair/types.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect } from '../helpers/loop-fixtures.js';

afterEach(() => vi.unstubAllEnvs());

describe('a run blocked by a missing package', () => {
  it('ends blocked, names the package and what to install, and proposes nothing', async () => {
    vi.stubEnv('MY_SUITE_TOKEN', 'let-through');
    vi.stubEnv('OTHER_TOKEN', 'withheld');
    vi.stubEnv('CI', undefined);
    const repo = makeVitestRepo({
      'package.json': JSON.stringify({ type: 'module', devDependencies: { 'left-pad': '^1.3.0' } }),
      'package-lock.json': '{}\n',
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], env: { pass: ['MY_SUITE_TOKEN'] } }),
      'src/pad.ts': "import leftPad from 'left-pad';\n\nexport const pad = (s: string): string => leftPad(s, 3);\n",
      'test/pad.test.ts': "import { expect, it } from 'vitest';\nimport { pad } from '../src/pad';\n\nit('pads', () => {\n  expect(pad('a')).toBe('  a');\n});\n",
      'test/env.test.ts': [
        "import { expect, it } from 'vitest';",
        '',
        "it('sees the environment the user gave it', () => {",
        "  expect([process.env.MY_SUITE_TOKEN, process.env.OTHER_TOKEN, process.env.CI]).toEqual(['let-through', undefined, undefined]);",
        '});',
        '',
      ].join('\n'),
    });
    const asked: string[] = [];
    const provider: PatchProvider = {
      name: 'spy',
      // eslint-disable-next-line require-yield
      async *propose(problem) {
        asked.push(problem.id);
      },
    };
    const loop = createLoop({ cwd: repo, providers: [provider] });
    const events = await collect(loop);
    const summary = await loop.result;

    expect([summary.status, summary.stopReason, summary.iterations]).toEqual(['blocked', 'blocked', 1]);
    expect(summary.totalsAfter).toEqual({ tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 1 });
    expect(events.filter((e) => e.type === 'problem:found')).toEqual([]);
    expect(asked).toEqual([]);

    const md = readFileSync(summary.reports.find((f) => f.endsWith('iteration-1.md'))!, 'utf8');
    expect(md).toContain('Dependencies outside git, as the checkout has them: linked node_modules at ..');
    expect(md).toContain('### unit: package left-pad is not installed');
    expect(md).toContain('- **To unblock:** run `npm ci`: left-pad is in package.json but not installed');
    expect(md).toContain('- Install package left-pad for suite `unit` (test/pad.test.ts (failed to load)): run `npm ci`: left-pad is in package.json but not installed.');
    const json = IterationReportSchema.parse(JSON.parse(readFileSync(summary.reports.find((f) => f.endsWith('iteration-1.json'))!, 'utf8')));
    expect(json.blockers.map((b) => [b.suite, b.reason, b.message])).toEqual([
      [
        'unit',
        'environment',
        "package left-pad is not installed (Cannot find package 'left-pad'); it blocks test/pad.test.ts (failed to load). To unblock: run `npm ci`: left-pad is in package.json but not installed.",
      ],
    ]);
  }, 120_000);
});
