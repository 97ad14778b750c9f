// Parsing large reports: a 20,000-test vitest JSON report and a 20,000-case JUnit XML file are
// generated in a temporary directory, then each is read and parsed in a process of its own, so
// that its peak RSS (the kernel's maxRSS) is the parse's and not the generator's. Target: under
// 1 s and under 200 MB each. Writes bench/results/parse.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseJunitXml } from '../src/runners/junit/parse.js';
import { parseVitestReport } from '../src/runners/vitest/parse.js';

const TESTS = 20_000;
const FILES = 400;
const FAILING_EVERY = 20;
const TARGET_MS = 1000;
const TARGET_MB = 200;
const ROOT = '/repo';

function stack(i: number): string {
  return `AssertionError: expected ${i} to be ${i + 1} // Object.is equality\n    at ${ROOT}/src/module-${i % FILES}.ts:${(i % 90) + 1}:11\n    at ${ROOT}/test/file-${i % FILES}.test.ts:${(i % 200) + 1}:5\n    at file:///repo/node_modules/@vitest/runner/dist/index.js:146:14`;
}

function vitestReport(): string {
  const perFile = TESTS / FILES;
  const testResults = Array.from({ length: FILES }, (_, f) => ({
    name: `${ROOT}/test/file-${f}.test.ts`,
    status: 'failed',
    message: '',
    assertionResults: Array.from({ length: perFile }, (_, t) => {
      const i = f * perFile + t;
      const failed = i % FAILING_EVERY === 0;
      return {
        ancestorTitles: ['module', `group ${t % 7}`],
        fullName: `module group ${t % 7} case ${i}`,
        title: `case ${i}`,
        status: failed ? 'failed' : 'passed',
        duration: i % 13,
        failureMessages: failed ? [stack(i)] : [],
        location: { line: t * 4 + 3, column: 5 },
        meta: {},
      };
    }),
  }));
  return JSON.stringify({ numTotalTests: TESTS, success: false, testResults });
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function junitXml(): string {
  const perFile = TESTS / FILES;
  const out = ['<?xml version="1.0" encoding="utf-8"?>', `<testsuites name="bench" tests="${TESTS}">`];
  for (let f = 0; f < FILES; f++) {
    out.push(`<testsuite name="tests.test_file_${f}" tests="${perFile}" file="tests/test_file_${f}.py">`);
    for (let t = 0; t < perFile; t++) {
      const i = f * perFile + t;
      const attrs = `classname="tests.test_file_${f}.TestGroup${t % 7}" name="test_case_${i}" file="tests/test_file_${f}.py" line="${t * 4 + 2}" time="0.00${i % 10}"`;
      if (i % FAILING_EVERY === 0) {
        const body = `def test_case_${i}(self):\n>       assert compute(${i}) == ${i + 1}\nE       AssertionError: assert ${i} == ${i + 1}\n\nsrc/module_${i % FILES}.py:${(i % 90) + 1}: AssertionError`;
        out.push(`<testcase ${attrs}><failure message="${escape(`AssertionError: assert ${i} == ${i + 1}`)}">${escape(body)}</failure></testcase>`);
      } else {
        out.push(`<testcase ${attrs} />`);
      }
    }
    out.push('</testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}

interface Measure {
  tests: number;
  failed: number;
  parseMs: number;
  peakRssMb: number;
  peakHeapMb: number;
}

/** Child mode: read and parse one file, sampling memory between the steps, and print the measure. */
function measure(kind: string, file: string): Measure {
  globalThis.gc?.();
  let peakHeap = 0;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  sample();
  const started = performance.now();
  const text = readFileSync(file, 'utf8');
  sample();
  let results;
  if (kind === 'vitest') {
    const json = JSON.parse(text);
    sample();
    results = parseVitestReport(json, { suite: 'bench', cwd: ROOT });
  } else {
    results = parseJunitXml(text, { suite: 'bench', root: ROOT, runDir: ROOT, dialect: 'pytest' });
  }
  sample();
  const parseMs = performance.now() - started;
  return {
    tests: results.tests.length,
    failed: results.tests.filter((t) => t.status === 'failed').length,
    parseMs,
    // ru_maxrss is in kilobytes on Linux: the whole process's peak, runtime included.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
  };
}

function main(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fixloop-bench-parse-'));
  try {
    const inputs = [
      { kind: 'vitest', label: `vitest JSON report, ${TESTS.toLocaleString('en')} tests`, file: path.join(tmp, 'report.json'), text: vitestReport() },
      { kind: 'junit', label: `JUnit XML (pytest xunit1), ${TESTS.toLocaleString('en')} cases`, file: path.join(tmp, 'junit.xml'), text: junitXml() },
    ];
    const rows: string[] = [];
    let allPass = true;
    for (const input of inputs) {
      writeFileSync(input.file, input.text);
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), input.kind, input.file], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`parsing ${input.label} failed:\n${child.stderr}`);
      const m = JSON.parse(child.stdout.trim().split('\n').pop()!) as Measure;
      if (m.tests !== TESTS || m.failed !== TESTS / FAILING_EVERY) throw new Error(`${input.label}: read ${m.tests} tests, ${m.failed} failed`);
      const pass = m.parseMs < TARGET_MS && m.peakRssMb < TARGET_MB;
      allPass &&= pass;
      const sizeMb = statSync(input.file).size / 1024 / 1024;
      rows.push(
        `| ${input.label} | ${sizeMb.toFixed(1)} MB | ${m.parseMs.toFixed(0)} | ${m.peakRssMb.toFixed(0)} | ${m.peakHeapMb.toFixed(0)} | < ${TARGET_MS} ms, < ${TARGET_MB} MB | ${pass ? 'pass' : 'FAIL'} |`,
      );
      console.error(rows[rows.length - 1]);
    }
    const md = [
      '# Parsing large reports',
      '',
      `Written by \`npm run bench\` (bench/parse.bench.ts) on ${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}.`,
      '',
      `Each input is generated (${FILES} files, one test in ${FAILING_EVERY} failing with a stack), then read and parsed in a fresh`,
      'process: parse ms covers reading the file, JSON.parse / XML parsing and the mapping into TestCases; peak RSS is the',
      "process's maxRSS (runtime and tsx included); peak heap is sampled between the steps.",
      '',
      '| input | size | parse ms | peak RSS MB | peak heap MB | target | result |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
    writeFileSync(path.join(here, 'results', 'parse.md'), md);
    console.error(`wrote ${path.join('bench', 'results', 'parse.md')}`);
    process.exitCode = allPass ? 0 : 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const [kind, file] = process.argv.slice(2);
if (kind && file) console.log(JSON.stringify(measure(kind, file)));
else main();
