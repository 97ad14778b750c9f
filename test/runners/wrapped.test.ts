// Runners behind a coverage tool in an npm script (c8 around mocha and node --test), on real
// captures made with the commands the adapters plan (fixtures/mocha/capture-c8.sh,
// fixtures/node-test/capture-c8.sh): the report flags reach the runner through c8, a run of chosen
// files runs the script outside npm (pre hook first, node_modules/.bin on PATH) without c8, whose
// 100% threshold fails such a run although its tests pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmPath, withoutCoverage } from '../../src/runners/command-line.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { mochaCommand } from '../../src/runners/mocha/adapter.js';
import { classify } from '../../src/init/scripts.js';
import { detectFormat } from '../../src/runners/auto.js';
import { nodeBinary, nodeTestCommand, nodeTestReporterPath } from '../../src/runners/node-test/adapter.js';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { countTotals } from '../../src/runners/results.js';
import { CTX, FIXTURES, readCapture } from './runner-captures.js';

const REPO = path.resolve(FIXTURES, '..');
const TMP = '/tmp/fixloop-capture';
const command = (runner: string, file: string) =>
  readCapture(runner, 'c8', file).replaceAll('<TMP>', TMP).replaceAll('<REPO>', REPO);
const exitOf = (runner: string, file: string) => Number(/exit (\d+)\s*$/.exec(readCapture(runner, 'c8', file))![1]);
const names = (tests: { fullName: string; status: string }[]) => tests.map((t) => `${t.status} ${t.fullName}`);

describe('mocha under c8 in `npm test`', () => {
  const dir = path.join(FIXTURES, 'mocha/c8');
  const parse = (file: string) => parseJunitXml(readCapture('mocha', 'c8', file), { ...CTX, suite: 'test' });

  it('the whole suite: the xunit flags go after the script, and c8 hands them to mocha', () => {
    expect(mochaCommand('npm test', `${TMP}/full.xml`, undefined, dir)).toEqual({ run: command('mocha', 'full.command.txt'), warnings: [] });
    const full = parse('full.xml');
    expect(names(full.tests)).toEqual(['passed add > adds two numbers', 'passed add > adds negatives', 'passed sub > subtracts', 'failed sub > subtracts below zero']);
    expect(countTotals(full.tests, full.loadFailures)).toMatchObject({ tests: 4, passed: 3, failed: 1 });
    expect(exitOf('mocha', 'full.txt')).toBe(1);
  });

  it('chosen files: the script outside npm, its pretest first, without c8', () => {
    const plan = mochaCommand('npm test', `${TMP}/narrowed.xml`, ['test/add.test.js'], dir);
    expect(plan).toEqual({ run: command('mocha', 'narrowed.command.txt'), warnings: [], env: { PATH: npmPath(dir) } });
    expect(plan.run).toBe(`npm run pretest && mocha --reporter xunit --reporter-option output=${TMP}/narrowed.xml test/add.test.js`);
    expect(names(parse('narrowed.xml').tests)).toEqual(['passed add > adds two numbers', 'passed add > adds negatives']);
    expect(readCapture('mocha', 'c8', 'narrowed.txt')).toMatch(/^pretest ran$/m);
    expect(exitOf('mocha', 'narrowed.txt')).toBe(0);
    // What keeping c8 did to the same passing file.
    expect(readCapture('mocha', 'c8', 'narrowed-c8.txt')).toMatch(/^ERROR: Coverage for lines \(66\.66%\) does not meet global threshold \(100%\)$/m);
    expect(exitOf('mocha', 'narrowed-c8.txt')).toBe(1);
  });
});

describe('node --test under c8 --100 in `npm run test:unit`, built by its pre hook', () => {
  const dir = path.join(FIXTURES, 'node-test/c8');
  const parse = (file: string) => parseNodeTestReport(readCapture('node-test', 'c8', file), 'unit', CTX);

  it('the whole suite: run as npm would, with c8 and fixloop\'s reporter after node', () => {
    const plan = nodeTestCommand('npm run test:unit', `${TMP}/full.ndjson`, undefined, dir);
    expect(plan).toEqual({ run: command('node-test', 'full.command.txt'), warnings: [], env: { PATH: npmPath(dir) } });
    expect(plan.run.startsWith(`npm run pretest:unit && c8 --100 node --test-reporter=${nodeTestReporterPath()} `)).toBe(true);
    const full = parse('full.ndjson');
    expect(names(full.tests)).toEqual(['passed add > adds two numbers', 'passed add > adds negatives', 'passed sub > subtracts', 'failed sub > subtracts below zero']);
    expect(exitOf('node-test', 'full.txt')).toBe(1);
  });

  it('chosen files: c8 left out, the pre hook still builds what the tests import', () => {
    const plan = nodeTestCommand('npm run test:unit', `${TMP}/narrowed.ndjson`, ['test/add.test.js'], dir);
    expect(plan.run).toBe(command('node-test', 'narrowed.command.txt'));
    expect(plan.run).not.toMatch(/\bc8\b/);
    expect(names(parse('narrowed.ndjson').tests)).toEqual(['passed add > adds two numbers', 'passed add > adds negatives']);
    expect(readCapture('node-test', 'c8', 'narrowed.txt')).toMatch(/^built lib\/$/m);
    expect(exitOf('node-test', 'narrowed.txt')).toBe(0);
    expect(readCapture('node-test', 'c8', 'narrowed-c8.txt')).toMatch(/^ERROR: Coverage for functions \(50%\) does not meet global threshold \(100%\)$/m);
    expect(exitOf('node-test', 'narrowed-c8.txt')).toBe(1);
  });
});

describe('node --test started by tsx (`tsx --test test/*.test.ts`)', () => {
  const dir = path.join(FIXTURES, 'node-test/tsx');
  const capture = (file: string) => readCapture('node-test', 'tsx', file).replaceAll('<TMP>', TMP).replaceAll('<REPO>', REPO);

  it('gets the reporter after tsx, which hands it to node; chosen files replace the glob', () => {
    expect(detectFormat('npm test', dir).format).toBe('node-test');
    expect(nodeTestCommand('npm test', `${TMP}/full.ndjson`, undefined, dir)).toEqual({ run: capture('full.command.txt'), warnings: [], env: { PATH: npmPath(dir) } });
    expect(nodeTestCommand('npm test', `${TMP}/narrowed.ndjson`, ['test/other.test.ts'], dir).run).toBe(capture('narrowed.command.txt'));
    // tsx prints its own version first: the node it runs is asked instead.
    expect(nodeBinary('npm test', dir)).toBe('node');
    const full = parseNodeTestReport(readCapture('node-test', 'tsx', 'full.ndjson'), 'unit', CTX);
    expect(names(full.tests)).toEqual(['passed add > adds two numbers', 'failed add > adds negatives', 'passed is typed']);
    expect(full.tests.map((t) => `${t.file}:${t.location?.line}`)).toEqual(['test/math.test.ts:12', 'test/math.test.ts:15', 'test/other.test.ts:4']);
    expect(names(parseNodeTestReport(readCapture('node-test', 'tsx', 'narrowed.ndjson'), 'unit', CTX).tests)).toEqual(['passed is typed']);
    expect(classify(['tsx', '--test', 'test/*.test.ts'])?.format).toBe('node-test');
  });
});

it('a coverage tool is left out with its options; what started it starts the runner', () => {
  const without = (command: string, runner: string) => {
    const words = command.split(' ');
    return withoutCoverage(words, words.indexOf(runner)).join(' ');
  };
  expect(without('npx c8 --100 -r text node --test', 'node')).toBe('npx node --test');
  expect(without('NODE_ENV=test pnpm exec nyc --reporter lcov mocha test/a.js', 'mocha')).toBe('NODE_ENV=test pnpm exec mocha test/a.js');
  expect(without('mocha test/a.js', 'mocha')).toBe('mocha test/a.js');
});

// The run also needs the shipped reporter the capture used.
it('the captures used the reporter this checkout ships', () => {
  expect(readFileSync(nodeTestReporterPath(), 'utf8').length).toBeGreaterThan(0);
  expect(readCapture('node-test', 'c8', 'full.command.txt')).toContain('<REPO>/src/runners/node-test/reporter.mjs');
});
