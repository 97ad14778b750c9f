// A compile step inside the suite's command (a pretest tsc) that stops the run before the runner
// writes its report: its TypeScript errors become load failures at their place, on real tsc
// output captured by fixtures/mocha/capture-tsc-pretest.sh.
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFailures } from '../../src/runners/compile-output.js';
import { MochaAdapter } from '../../src/runners/index.js';
import { CTX, FIXTURES, readCapture } from './runner-captures.js';

const MISSING = { message: "error TS2304: Cannot find name 'camelCase'.", location: { file: 'lib/index.ts', line: 5, column: 31 } };
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('compileFailures', () => {
  it("reads tsc's plain and --pretty layouts: one load failure per project file, at its first error", () => {
    expect(compileFailures(readCapture('mocha', 'tsc-pretest', 'output.txt'), CTX, 'test')).toEqual([
      { suite: 'test', file: 'lib/index.ts', failure: { ...MISSING, stack: "lib/index.ts(5,31): error TS2304: Cannot find name 'camelCase'." } },
    ]);
    expect(compileFailures(readCapture('mocha', 'tsc-pretest', 'output-pretty.txt'), CTX, 'test')).toEqual([
      { suite: 'test', file: 'lib/index.ts', failure: { ...MISSING, stack: "lib/index.ts:5:31 - error TS2304: Cannot find name 'camelCase'." } },
    ]);
  });

  it('leaves out what the code cannot fix: a package that is not installed, errors in installed declarations', () => {
    const output = [
      "dist/esm/index.js(14,22): error TS2307: Cannot find module '@eslint/core' or its corresponding type declarations.",
      "node_modules/@types/node/globals.d.ts(3,1): error TS2300: Duplicate identifier 'x'.",
      "src/a.ts(2,8): error TS2307: Cannot find module './b' or its corresponding type declarations.",
      "src/a.ts(9,3): error TS2322: Type 'string' is not assignable to type 'number'.",
    ].join('\n');
    expect(compileFailures(output, CTX, 'unit').map((f) => [f.file, f.failure.message, f.failure.location?.line, f.failure.stack?.split('\n').length])).toEqual([
      ['src/a.ts', "error TS2307: Cannot find module './b' or its corresponding type declarations.", 2, 2],
    ]);
    expect(compileFailures('Error: something else\n    at x (src/a.ts:1:1)', CTX, 'unit')).toEqual([]);
  });
});

describe('a mocha suite whose pretest tsc fails', () => {
  it('is a load failure of the file tsc names, not a suite blocked without a report', async () => {
    const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-tsc-pretest-')));
    dirs.push(root);
    cpSync(path.join(FIXTURES, 'mocha/tsc-pretest'), root, { recursive: true });
    const lines = readCapture('mocha', 'tsc-pretest', 'output.txt', root).trimEnd().split('\n');
    const exitCode = Number(/^exit (\d+)$/.exec(lines.pop()!)![1]);
    writeFileSync(path.join(root, 'printed.txt'), `${lines.join('\n')}\n`);
    // The captured output replayed by the suite's command, with the flags the adapter appends.
    const run = await new MochaAdapter().run({ name: 'test', command: `sh -c 'cat printed.txt; exit ${exitCode}'`, format: 'mocha', timeoutSec: 30 }, { cwd: root });
    expect(run.exitCode).toBe(2);
    expect(run.blocker).toBeUndefined();
    expect(run.loadFailures.map((l) => [l.file, l.failure.message, l.failure.location])).toEqual([['lib/index.ts', MISSING.message, MISSING.location]]);
    expect(run.totals).toMatchObject({ tests: 0, loadErrors: 1 });
  });
});
