import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { BIN, makeVitestRepo, sh } from '../helpers/git-repo.js';
import { collect } from '../helpers/loop-fixtures.js';

const PRICE = `export function total(prices: number[]): number {
  let sum = 0;
  for (let i = 0; i < prices.length; i++) sum += prices[i];
  return sum;
}

export function withTax(amount: number, rate: number): number {
  return Math.round(amount * (1 + rate) * 100) / 100;
}
`;

const PRICE_TEST = `import { expect, it } from 'vitest';
import { total, withTax } from '../src/price.js';

it('adds up every price', () => {
  expect(total([1, 2, 3])).toBe(6);
});

it('adds the tax', () => {
  expect(withTax(10, 0.2)).toBe(12);
});
`;

function commit(repo: string, files: Record<string, string>, message: string, author = 'Dev <dev@example.com>'): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(repo, name), text);
  sh(repo, 'git', ['add', '-A']);
  sh(repo, 'git', ['commit', '-qm', message, `--author=${author}`]);
  return sh(repo, 'git', ['rev-parse', 'HEAD']);
}

/**
 * A green history, then a regression three commits back: "perf(price): …" stops the sum one price
 * short; after it, a README, a new module with its test, and another edit to src/price.ts (so the
 * revert must merge around it).
 */
function regressionRepo(policy: object = {}): { repo: string; culprit: string; lastGood: string } {
  const repo = makeVitestRepo({
    'package.json': JSON.stringify({ name: 'shop', type: 'module', private: true }),
    'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, ...policy }),
    'src/price.ts': PRICE,
    'test/price.test.ts': PRICE_TEST,
  });
  const lastGood = sh(repo, 'git', ['rev-parse', 'HEAD']);
  const culprit = commit(repo, { 'src/price.ts': PRICE.replace('i < prices.length;', 'i < prices.length - 1;') }, 'perf(price): skip the bound check in total', 'Ada Lovelace <ada@example.com>');
  commit(repo, { 'README.md': '# shop\n' }, 'docs: readme');
  commit(repo, { 'src/format.ts': 'export const euros = (n: number) => `${n.toFixed(2)} EUR`;\n', 'test/format.test.ts': "import { expect, it } from 'vitest';\nimport { euros } from '../src/format.js';\nit('formats', () => expect(euros(2)).toBe('2.00 EUR'));\n" }, 'feat(format): euros');
  commit(repo, { 'src/price.ts': `${readFileSync(path.join(repo, 'src/price.ts'), 'utf8')}\nexport const average = (prices: number[]) => (prices.length ? total(prices) / prices.length : 0);\n` }, 'feat(price): average');
  return { repo, culprit, lastGood };
}

function culpritEvent(events: LoopEvent[]) {
  return events.find((e): e is Extract<LoopEvent, { type: 'problem:culprit' }> => e.type === 'problem:culprit');
}

describe('a regression three commits back', () => {
  it('is named, reverted (only its hunk, around the later edit), verified and committed as a revert: the run ends green', async () => {
    const { repo, culprit, lastGood } = regressionRepo();
    const loop = createLoop({ cwd: repo });
    const events = await collect(loop);
    const summary = await loop.result;

    const found = culpritEvent(events)!;
    expect(found.culprit).toMatchObject({
      sha: culprit,
      subject: 'perf(price): skip the bound check in total',
      author: 'Ada Lovelace <ada@example.com>',
      lastGood,
      merge: false,
      files: ['src/price.ts'],
      onPath: ['src/price.ts'],
    });
    // Back in growing steps from the head: HEAD~1 fails, HEAD~3 fails, HEAD~4 passes.
    expect(found.runs).toBe(3);

    expect(summary.status).toBe('green');
    expect(summary.commits.map((c) => c.provider)).toEqual(['revert']);
    const message = sh(repo, 'git', ['log', '-1', '--format=%B', summary.branch]);
    expect(message.split('\n').slice(0, 9)).toEqual([
      'revert(price): skip the bound check in total',
      '',
      `Root cause: commit ${culprit.slice(0, 8)} "perf(price): skip the bound check in total" (Ada Lovelace <ada@example.com>, ${found.culprit!.date.slice(0, 10)}) made the tests fail; they passed at its parent ${lastGood.slice(0, 8)}`,
      `Fix: Revert ${culprit.slice(0, 8)} "perf(price): skip the bound check in total": the whole commit (revert)`,
      'Verification: 2 passed, 1 failed → 3 passed, 0 failed.',
      '',
      `This reverts commit ${culprit}, "perf(price): skip the bound check in total".`,
      'It is a revert, not a fix: whatever that commit meant to do needs doing again, without breaking these tests.',
      '',
    ]);
    expect(message).toContain(`\nReverts: ${culprit}\nFixloop-Run: ${summary.runId}`);
    // The later edit (average) stays; only the culprit's line is undone.
    const fixed = sh(repo, 'git', ['show', `${summary.branch}:src/price.ts`]);
    expect(fixed).toContain('i < prices.length; i++');
    expect(fixed).toContain('export const average');

    const report = readFileSync(summary.reports.find((r) => r.endsWith('iteration-1.md'))!, 'utf8');
    expect(report).toContain(`Culprit: ${culprit.slice(0, 8)} "perf(price): skip the bound check in total"`);
    expect(report).toContain('a revert, not a fix');
  });

  it('with culprit.revert off: exit 1, and the culprit is named on stderr, in the summary and in the iteration report', async () => {
    const { repo, culprit } = regressionRepo({ culprit: { revert: false } });
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'run'], { cwd: repo, env: { ...process.env, FORCE_COLOR: '0', ANTHROPIC_API_KEY: '' } }, (err, _stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`culprit ${culprit.slice(0, 8)} "perf(price): skip the bound check in total" (Ada Lovelace <ada@example.com>`);
    expect(stderr).toContain(', changed src/price.ts; 3 test runs to find it');
    const runs = sh(repo, 'ls', ['.fixloop/runs']).split('\n');
    const dir = path.join(repo, '.fixloop/runs', runs[runs.length - 1]);
    const json = JSON.parse(readFileSync(path.join(dir, 'iteration-1.json'), 'utf8'));
    expect(json.culprits).toHaveLength(1);
    expect(json.culprits[0].culprit.sha).toBe(culprit);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain(`${culprit.slice(0, 8)} "perf(price): skip the bound check in total"`);
    expect(readFileSync(path.join(dir, 'summary.html'), 'utf8')).toContain(`${culprit.slice(0, 8)}`);
  });
});
