// End to end: a run that cannot fix an assertion leaves an iteration report a person acts on —
// the failure in full, the code under test the assertion checks, and a next step pointing there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER } from '../helpers/loop-fixtures.js';

describe('the report of a run that could not fix an assertion', () => {
  it('shows expected/received, the test line, the function it checks and where to fix it', async () => {
    const repo = makeVitestRepo(COUNTER);
    const loop = createLoop({ cwd: repo, providers: [] });
    await collect(loop);
    const summary = await loop.result;
    const md = readFileSync(summary.reports.find((r) => r.endsWith('iteration-1.md'))!, 'utf8');
    const open = md.slice(md.indexOf('## Open problems'), md.indexOf('## Coverage by category'));
    expect(open).toContain('- **Where it broke:** `test/counter.test.ts:3`');
    expect(open).toContain('- **Code under test:** `next` at `src/counter.ts:1` (called by the failing assertion)');
    expect(open).toContain('> 1 | export const next = (n: number) => n + 2;');
    expect(open).toContain('- **Expected:** `2`\n- **Received:** `3`');
    expect(open).toMatch(/- \*\*Logs:\*\* `[^`]*\/logs\/unit\.log` \(unit\)/);
    expect(open).toContain('- **Next step:** The assertion at `test/counter.test.ts:3` fails (expected `2`, received `3`): it checks `next`, declared at `src/counter.ts:1`; correct it there');
    const report = readFileSync(summary.reports.find((r) => r.endsWith('summary.md'))!, 'utf8');
    expect(report).toContain('| `test/counter.test.ts > next adds one` | unit | AssertionError: expected 3 to be 2 // Object.is equality |');
  });
});
