// Targeted re-runs: running a slow file's two failing tests by name against running the whole
// file, for vitest, jest, node:test and pytest; and flaky re-runs with vitest's in-run retries
// against separate starts. Writes bench/results/rerun.md.
//   BENCH_RUNS=N (default 3) timed runs per row, the median reported
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCase } from '../src/model.js';
import type { SuiteConfig } from '../src/policy/schema.js';
import { runSuites } from '../src/runners/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Tests in the slow file, each taking SLOW_MS; two of them fail. */
const TESTS = 40;
const SLOW_MS = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Runner {
  name: string;
  format: SuiteConfig['format'];
  command: string;
  file: string;
  pkg: object;
  source: (i: number, fails: boolean) => string;
  header: string;
}

const js = (i: number, fails: boolean) =>
  `  it('case ${i}', async () => { await new Promise((r) => setTimeout(r, ${SLOW_MS})); assert.equal(${fails ? 1 : 0}, 0); });`;

const RUNNERS: Runner[] = [
  {
    name: 'vitest',
    format: 'vitest',
    command: 'npx vitest run',
    file: 'test/slow.test.ts',
    pkg: { type: 'module' },
    header: "import { describe, it } from 'vitest';\nimport assert from 'node:assert';\n",
    source: js,
  },
  {
    name: 'jest',
    format: 'jest',
    command: 'npx jest',
    file: 'test/slow.test.js',
    pkg: {},
    header: "const assert = require('node:assert');\n",
    source: js,
  },
  {
    name: 'node:test',
    format: 'node-test',
    command: 'node --test test/',
    file: 'test/slow.test.mjs',
    pkg: { type: 'module' },
    header: "import { describe, it } from 'node:test';\nimport assert from 'node:assert';\n",
    source: js,
  },
  {
    name: 'pytest',
    format: 'pytest',
    command: 'python3 -m pytest -p no:cacheprovider tests',
    file: 'tests/test_slow.py',
    pkg: {},
    header: 'import time\n\n\nclass TestSlow:\n',
    source: (i, fails) => `    def test_case_${i}(self):\n        time.sleep(${SLOW_MS / 1000})\n        assert ${fails ? 1 : 0} == 0\n`,
  },
];

function project(runner: Runner): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-bench-rerun-'));
  mkdirSync(path.join(dir, path.dirname(runner.file)), { recursive: true });
  const cases = Array.from({ length: TESTS }, (_, i) => runner.source(i, i === 7 || i === 31));
  const body = runner.name === 'pytest' ? cases.join('\n') : `describe('slow', () => {\n${cases.join('\n')}\n});\n`;
  writeFileSync(path.join(dir, runner.file), runner.header + body);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(runner.pkg));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const rows: string[] = [];
for (const runner of RUNNERS) {
  const dir = project(runner);
  const suite: SuiteConfig = { name: 'unit', command: runner.command, format: runner.format, timeoutSec: 300 };
  const whole = await runSuites([suite], { cwd: dir });
  const failing: TestCase[] = whole.suites[0].tests.filter((t) => t.status === 'failed');
  if (failing.length !== 2) throw new Error(`${runner.name}: expected 2 failing tests, got ${failing.length}`);
  const byFile: number[] = [];
  const byName: number[] = [];
  let ran = 0;
  for (let i = 0; i < RUNS; i++) {
    byFile.push(await timed(() => runSuites([suite], { cwd: dir, files: [runner.file] })));
    byName.push(
      await timed(async () => {
        const run = await runSuites([suite], { cwd: dir, tests: failing });
        ran = run.suites[0].tests.filter((t) => t.status === 'passed' || t.status === 'failed').length;
      }),
    );
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  rows.push(`| ${runner.name} | ${s(median(byFile))} | ${s(median(byName))} | ${ran} | ${(median(byFile) / median(byName)).toFixed(1)}× |`);
  console.error(rows.at(-1));
  rmSync(dir, { recursive: true, force: true });
}

// Flaky re-runs: two re-runs of the failing tests as two starts, or as one start with --retry=1.
const vitest = RUNNERS[0];
const dir = project(vitest);
const suite: SuiteConfig = { name: 'unit', command: vitest.command, format: 'vitest', timeoutSec: 300 };
const failing = (await runSuites([suite], { cwd: dir })).suites[0].tests.filter((t) => t.status === 'failed');
const starts: number[] = [];
const retried: number[] = [];
for (let i = 0; i < RUNS; i++) {
  starts.push(await timed(async () => {
    await runSuites([suite], { cwd: dir, tests: failing });
    await runSuites([suite], { cwd: dir, tests: failing });
  }));
  retried.push(await timed(() => runSuites([suite], { cwd: dir, tests: failing, retries: 1 })));
}
rmSync(dir, { recursive: true, force: true });

const out = [
  '# Re-run benchmark',
  '',
  `\`npm run bench rerun\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, median of ${RUNS}. One test file of ${TESTS} tests, each taking ${SLOW_MS} ms; 2 of them fail. ` +
    'A targeted re-run of those 2 (verification on a slow suite, flaky re-runs) by file runs all 40; by name only the 2.',
  '',
  '| runner | the file | its 2 failing tests by name | tests that ran by name | by file / by name |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  '',
  'Flaky re-runs of the 2 failing tests with vitest (`flaky.reruns` 2): two starts, or one start retrying each failure once more (`--retry=1`).',
  '',
  '| two starts | one start, --retry=1 |',
  '| --- | --- |',
  `| ${(median(starts) / 1000).toFixed(2)} s | ${(median(retried) / 1000).toFixed(2)} s |`,
  '',
].join('\n');
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/rerun.md'), out);
console.error('wrote bench/results/rerun.md');
