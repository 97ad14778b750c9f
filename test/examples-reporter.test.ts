import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../examples/reporter.js';
import { demoRepo } from './helpers/git-repo.js';

describe('examples/reporter.ts', () => {
  // A whole run on the demo app: slower than the default minute on a loaded machine.
  it('writes pull-request.md from the events, the iteration records and the summary, listed with the reports', async () => {
    const summary = await main(demoRepo());
    expect(summary.status).toBe('green');
    const file = path.join(summary.reportDir, 'pull-request.md');
    expect(summary.reports.slice(-3).map((r) => path.basename(r))).toEqual(['summary.md', 'summary.html', 'pull-request.md']);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('## fixloop: green (green)');
    expect(lines[2]).toMatch(/^Tests: \d+\/\d+ passing before, (\d+)\/\1 passing after; [1-9]\d* candidate\(s\) verified\.$/);
    const fixes = lines.slice(4, -1);
    expect(fixes.map((l) => l.slice(-8, -1))).toEqual(summary.commits.map((c) => c.sha.slice(0, 7)));
    expect(fixes).toContainEqual(expect.stringMatching(/^- fix\(env\): import missing parseBoolean in readEnv\(\) \(\w+, iteration 1, [0-9a-f]{7}\)$/));
  }, 240_000);
});
