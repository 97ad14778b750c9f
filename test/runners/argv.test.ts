// Tests that run in the runner's own process (jest in band, mocha) see the argv the user's command
// gives them, not fixloop's report flags, and start processes with the user's environment
// (fixtures/jest/argv, fixtures/mocha/argv: a CLI parser fed process.argv.slice(2)). commander's
// own suite under jest 29 on two cores exited at `program.parse()` on `--ci` before this.
import { chmodSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { runSuites } from '../../src/runners/index.js';
import { fixtureProject, removeProjects } from './projects.js';

const GIVEN = '--no-deprecation';
const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, GIVEN_NODE_OPTIONS: process.env.GIVEN_NODE_OPTIONS };

// The user's own NODE_OPTIONS, which the tests and their children must see as it is.
beforeEach(() => {
  process.env.NODE_OPTIONS = GIVEN;
  process.env.GIVEN_NODE_OPTIONS = GIVEN;
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  removeProjects();
});

const suite = (command: string, format: SuiteConfig['format']): SuiteConfig => ({ name: 'unit', command, format, timeoutSec: 120 });

const outcome = async (command: string, format: SuiteConfig['format'], cwd: string, files?: string[]) => {
  const [run] = (await runSuites([suite(command, format)], { cwd, files })).suites;
  return {
    exitCode: run.exitCode,
    blocker: run.blocker?.message,
    totals: run.totals,
    tests: run.tests.map((t) => [t.fullName, t.status, t.failure?.message]),
    warnings: run.warnings,
  };
};

const GREEN = (names: string[]) => ({
  exitCode: 0,
  blocker: undefined,
  totals: { tests: 2, passed: 2, failed: 0, skipped: 0, loadErrors: 0 },
  tests: names.map((name) => [name, 'passed', undefined]),
  warnings: undefined,
});

describe('jest in band (maxWorkers 1): its tests run in jest\'s own process', () => {
  const names = ['parses the command line it was started with', 'starts processes with the environment it was given'];

  it('`npx jest`: the test parses an empty command line, its child gets the user\'s NODE_OPTIONS', async () => {
    const root = fixtureProject('jest', 'argv', { jest: { maxWorkers: 1 } });
    expect(await outcome('npx jest', 'jest', root)).toEqual(GREEN(names));
  }, 120_000);

  it('`npm test` whose script is `jest`: the same through npm', async () => {
    const root = fixtureProject('jest', 'argv', { scripts: { test: 'jest' }, jest: { maxWorkers: 1 } });
    expect(await outcome('npm test', 'jest', root)).toEqual(GREEN(names));
  }, 120_000);

  it('a run of chosen files: the files fixloop appends are taken off too', async () => {
    const root = fixtureProject('jest', 'argv', { jest: { maxWorkers: 1 } });
    expect(await outcome('npx jest', 'jest', root, ['test/cli.test.js'])).toEqual(GREEN(names));
  }, 120_000);
});

/**
 * A stand-in for mocha (fixloop has no mocha of its own) laid out as the package is, its bin at
 * node_modules/mocha/bin/mocha.js: like mocha 10 and 11 it copies `process.argv.slice(2)` while its
 * bin loads, then requires the spec files in its own process and writes the xunit report.
 */
function withMocha(root: string): string {
  const dir = path.join(root, 'node_modules/mocha');
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"name":"mocha","version":"11.8.0"}');
  const bin = path.join(dir, 'bin/mocha.js');
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const output = args.find((a) => a.startsWith('output=')).slice(7);
const tests = [];
let titles = [];
global.describe = (title, body) => { titles.push(title); body(); titles.pop(); };
let file;
global.it = (title, fn) => tests.push({ classname: titles.join(' '), name: title, fn, file });
setImmediate(() => {
  for (const name of fs.readdirSync('test')) require((file = path.resolve('test', name)));
  const cases = tests.map((t) => {
    try { t.fn(); return '<testcase classname="' + t.classname + '" name="' + t.name + '" file="' + t.file + '" time="0"/>'; }
    catch (e) { process.exitCode = 1; return '<testcase classname="' + t.classname + '" name="' + t.name + '" file="' + t.file + '" time="0"><failure message="' + String(e.message).replace(/[<>&"]/g, '') + '"/></testcase>'; }
  });
  fs.writeFileSync(output, '<testsuite name="Mocha Tests" tests="' + tests.length + '">' + cases.join('') + '</testsuite>');
});
`,
  );
  chmodSync(bin, 0o755);
  mkdirSync(path.join(root, 'node_modules/.bin'));
  symlinkSync('../mocha/bin/mocha.js', path.join(root, 'node_modules/.bin/mocha'));
  return root;
}

describe('mocha: its tests run in its own process', () => {
  const names = ['cli > parses the command line it was started with', 'cli > starts processes with the environment it was given'];
  // fixtureProject links fixloop's node_modules: the stand-in needs a node_modules of its own.
  const project = (pkg: object) => {
    const root = fixtureProject('mocha', 'argv', pkg);
    unlinkSync(path.join(root, 'node_modules'));
    return withMocha(root);
  };

  it('`npx mocha`: the test parses an empty command line, its child gets the user\'s NODE_OPTIONS', async () => {
    expect(await outcome('npx mocha', 'mocha', project({}))).toEqual(GREEN(names));
  }, 120_000);

  it('`npm test` whose script is `mocha`: the same through npm', async () => {
    expect(await outcome('npm test', 'mocha', project({ scripts: { test: 'mocha' } }))).toEqual(GREEN(names));
  }, 120_000);
});
