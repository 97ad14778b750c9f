import { describe, expect, it } from 'vitest';
import { checkPolicy, initialPolicy } from '../src/init/index.js';
import { parsePolicy } from '../src/policy/index.js';
import { makeVitestRepo } from './helpers/git-repo.js';

const PRICE = {
  'package.json': JSON.stringify({ type: 'module', scripts: { build: 'node -e "0"', test: 'npm run build && vitest run' } }),
  'package-lock.json': '{}',
  'src/price.ts': 'export const total = (a: number, b: number) => a + b + 1;\n',
  'test/price.test.ts':
    "import { expect, it } from 'vitest';\nimport { total } from '../src/price';\nit('adds', () => { expect(total(1, 2)).toBe(4); });\nit('adds zero', () => { expect(total(0, 0)).toBe(0); });\nit.skip('later', () => {});\n",
};

describe('fixloop init --check', () => {
  it('runs the policy init writes for a real vitest project: setup, then the runner with its report flags, once', async () => {
    const repo = makeVitestRepo(PRICE);
    const { policy } = initialPolicy(repo);
    expect(policy.suites).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600, setup: ['npm run build'] }]);
    const seen: string[] = [];
    const result = await checkPolicy(repo, parsePolicy(policy, 'loop.policy.json').suites, { onSuite: (c) => seen.push(c.suite) });
    expect(seen).toEqual(['test']);
    expect(result.ok).toBe(true);
    expect(result.suites[0].line).toMatch(/^ran 3 tests \(1 passed, 1 failed, 1 skipped\) in \d+\.\ds$/);
  });

  it('a suite that cannot run, or runs no test, makes the check fail and says why', async () => {
    const repo = makeVitestRepo({ 'package.json': '{"type":"module"}', 'test/none.txt': '' });
    const suites = parsePolicy(
      {
        suites: [
          { name: 'missing', command: 'no-such-runner --all', format: 'exit-code' },
          { name: 'build', command: 'npx vitest run', setup: ['exit 4'] },
          { name: 'empty', command: 'npx vitest run --passWithNoTests', format: 'vitest' },
        ],
      },
      'loop.policy.json',
    ).suites;
    const result = await checkPolicy(repo, suites);
    expect(result.ok).toBe(false);
    expect(result.suites.map((s) => [s.suite, s.ok])).toEqual([
      ['missing', false],
      ['build', false],
      ['empty', false],
    ]);
    expect(result.suites[0].line).toMatch(/^blocked: Suite "missing" \(`no-such-runner --all`\): command not found: no-such-runner\./);
    expect(result.suites[1].line).toBe('blocked: Suite "build": setup step 1 `exit 4` exited with code 4; the suite was not run. Fix the step or "setup" in the policy. It printed nothing.');
    expect(result.suites[2].line).toMatch(/^ran no test in \d+\.\ds: check the command's paths and the runner's config$/);
  });
});
