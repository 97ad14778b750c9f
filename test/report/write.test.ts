import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterationJson, renderIterationMarkdown, writeIterationReport } from '../../src/report/index.js';
import { blockedRecord } from './records.js';

describe('writeIterationReport', () => {
  it('creates the directory and writes iteration-<n>.md and .json, returning absolute paths', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'fixloop-report-'));
    const rec = blockedRecord();
    const paths = await writeIterationReport(path.join(root, 'runs/x/reports'), rec);
    expect(paths).toEqual([path.join(root, 'runs/x/reports/iteration-2.md'), path.join(root, 'runs/x/reports/iteration-2.json')]);
    expect(paths.every((p) => path.isAbsolute(p))).toBe(true);
    expect(readFileSync(paths[0], 'utf8')).toBe(renderIterationMarkdown(rec));
    expect(JSON.parse(readFileSync(paths[1], 'utf8'))).toEqual(JSON.parse(JSON.stringify(iterationJson(rec))));
  });
});
