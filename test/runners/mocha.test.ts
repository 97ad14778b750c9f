// The mocha adapter: the command it runs (xunit reporter to a file, --grep, chosen files in place
// of the paths the command or its npm script names), and whole runs through a stand-in `mocha`
// that replays a real capture of mocha 11.8 (fixtures/mocha): CI has no mocha installed.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuiteConfig } from '../../src/policy/schema.js';
import { clearVersionCache, mochaCommand, runSuites } from '../../src/runners/index.js';
import { mochaLoadFailures } from '../../src/runners/junit/output.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { brief, CTX, FIXTURES, readCapture } from './runner-captures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  clearVersionCache();
});

function tmp(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-mocha-')));
  dirs.push(dir);
  return dir;
}

const v = (version: string) => ({ version, major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), from: 'test' });
const chosen = [
  { file: 'test/price.test.js', fullName: 'price total > sums (x+y) * q' },
  { file: 'test/price.test.js', fullName: 'runs at the top level' },
];

describe('mochaCommand', () => {
  it('adds the xunit reporter writing to the report file, and --grep on the titles joined by spaces', () => {
    expect(mochaCommand('npx mocha', '/t/r.xml', undefined, '/nowhere', { tests: chosen }, v('11.8.0'))).toEqual({
      run: "npx mocha --reporter xunit --reporter-option output=/t/r.xml --grep '^(?:price total sums \\(x\\+y\\) \\* q|runs at the top level)$'",
      warnings: [],
    });
  });

  it('names the reporter option the old way for mocha 5, and assumes a new mocha when the version is unknown', () => {
    expect(mochaCommand('mocha', '/t/r.xml', undefined, '/nowhere', {}, v('5.2.0')).run).toBe('mocha --reporter xunit --reporter-options output=/t/r.xml');
    expect(mochaCommand('mocha', '/t/r.xml', undefined, '/nowhere', {}, { from: 'nowhere' }).run).toBe('mocha --reporter xunit --reporter-option output=/t/r.xml');
  });

  it('replaces the paths the command names with the chosen files, keeping the values of --require and --file', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'test'));
    writeFileSync(path.join(dir, 'test/setup.js'), '');
    expect(mochaCommand('npx mocha -r test/setup.js --file test/setup.js test', '/t/r.xml', ['test/a.test.js'], dir, {}, v('10.8.2')).run).toBe(
      'npx mocha -r test/setup.js --file test/setup.js --reporter xunit --reporter-option output=/t/r.xml test/a.test.js',
    );
  });

  it('runs the plain mocha script behind npm test itself, with npm\'s PATH, so the paths it names do not run too', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'test'));
    mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'mocha --timeout 300 test/' } }));
    const plan = mochaCommand('npm test', '/t/r.xml', ['test/a.test.js'], dir, {}, v('11.8.0'));
    expect(plan.run).toBe('mocha --timeout 300 --reporter xunit --reporter-option output=/t/r.xml test/a.test.js');
    expect(plan.env?.PATH.split(path.delimiter)[0]).toBe(path.join(dir, 'node_modules/.bin'));
    expect(plan.warnings).toEqual([]);
    // The whole suite still goes through npm.
    expect(mochaCommand('npm test', '/t/r.xml', undefined, dir, {}, v('11.8.0')).run).toBe('npm test -- --reporter xunit --reporter-option output=/t/r.xml');
  });

  it('says when the chosen files cannot be singled out: a script it cannot rewrite, a .mocharc naming its spec', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: "mocha 'test/**/*.test.js'" } }));
    writeFileSync(path.join(dir, '.mocharc.json'), '{"spec": "test/**/*.test.js"}');
    expect(mochaCommand('npm test', '/t/r.xml', ['test/a.test.js'], dir, {}, v('10.8.2'))).toEqual({
      run: 'npm test -- --reporter xunit --reporter-option output=/t/r.xml test/a.test.js',
      warnings: [
        'Cannot take the test paths out of "npm test": the files it names ran besides the chosen ones.',
        'mocha runs the spec files its config names besides the chosen files: other test files ran too.',
      ],
    });
  });

  it('never passes --retries (the xunit report would hide the failed attempts) and says the re-runs happen in new runs', () => {
    expect(mochaCommand('mocha', '/t/r.xml', undefined, '/nowhere', { retries: 2 }, v('10.8.2'))).toEqual({
      run: 'mocha --reporter xunit --reporter-option output=/t/r.xml',
      warnings: ["mocha 10.8.2's xunit report keeps no retried attempts: fixloop re-runs failing tests in new runs instead of --retries."],
    });
  });
});

/**
 * A project holding a captured case and a stand-in `mocha` (version 10.8.2 in its package.json)
 * that records its arguments, prints the captured output and writes the captured xunit report,
 * with the project's root in place of <ROOT>, where `output=` says.
 */
function replayProject(name: string): string {
  const root = tmp();
  const from = path.join(FIXTURES, 'mocha', name);
  cpSync(path.join(from, 'test'), path.join(root, 'test'), { recursive: true });
  cpSync(path.join(from, 'src'), path.join(root, 'src'), { recursive: true });
  const lines = readFileSync(path.join(from, 'output.txt'), 'utf8').trimEnd().split('\n');
  const exitCode = Number(/^exit (\d+)$/.exec(lines.pop()!)![1]);
  const report = path.join(from, 'xunit.xml');
  mkdirSync(path.join(root, 'node_modules/mocha'), { recursive: true });
  mkdirSync(path.join(root, 'node_modules/.bin'));
  writeFileSync(path.join(root, 'node_modules/mocha/package.json'), '{"name":"mocha","version":"10.8.2"}');
  const bin = path.join(root, 'node_modules/.bin/mocha');
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('fs');
const root = ${JSON.stringify(root)};
fs.writeFileSync(root + '/argv.json', JSON.stringify(process.argv.slice(2)));
const output = process.argv.find((a) => a.startsWith('output='));
if (output && fs.existsSync(${JSON.stringify(report)})) fs.writeFileSync(output.slice(7), fs.readFileSync(${JSON.stringify(report)}, 'utf8').replaceAll('<ROOT>', root));
process.stdout.write(${JSON.stringify(`${lines.join('\n')}\n`)}.replaceAll('<ROOT>', root));
process.exit(${exitCode});
`,
  );
  chmodSync(bin, 0o755);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ scripts: { test: 'mocha --timeout 300 test/' } }));
  return root;
}

const suite: SuiteConfig = { name: 'unit', command: 'npm test', format: 'auto', timeoutSec: 60 };

describe('MochaAdapter (format "auto" on an npm script running mocha)', () => {
  it('reads the xunit report: every test, its failure and place, with the chosen names passed to --grep', async () => {
    const root = replayProject('failing');
    const run = await runSuites([suite], { cwd: root, tests: [{ suite: 'unit', file: 'test/price.test.js', fullName: 'price > joins parts' }] });
    const [result] = run.suites;
    expect(JSON.parse(readFileSync(path.join(root, 'argv.json'), 'utf8')).slice(0, 4)).toEqual(['--timeout', '300', '--reporter', 'xunit']);
    expect(JSON.parse(readFileSync(path.join(root, 'argv.json'), 'utf8')).slice(6)).toEqual(['--grep', '^(?:price joins parts)$', 'test/price.test.js']);
    expect(result.command).toBe('npm test test/price.test.js');
    expect(result.blocker).toBeUndefined();
    expect(result.totals).toEqual({ tests: 7, passed: 2, failed: 3, skipped: 2, loadErrors: 0 });
    const joins = result.tests.find((t) => t.fullName === 'price > joins parts');
    expect([joins?.status, joins?.failure?.errorName, joins?.failure?.location]).toEqual(['failed', 'ReferenceError', { file: 'src/price.js', line: 3, column: 38 }]);
  });

  it('reads the test file that stopped mocha before it wrote a report as a load failure, not a blocker', async () => {
    const root = replayProject('load');
    const run = await runSuites([suite], { cwd: root });
    const [result] = run.suites;
    expect(result.blocker).toBeUndefined();
    expect(result.loadFailures.map((l) => [l.file, l.failure.message, l.failure.location])).toEqual([
      ['test/env.test.js', 'ReferenceError: resolveMode is not defined', { file: 'src/env.js', line: 1, column: 14 }],
    ]);
  });
});

describe('mocha 10.8.2 (fixtures/mocha/versions, captured by capture-versions.sh) beside 11.8.0', () => {
  const xunit = (dir: string) => parseJunitXml(readCapture('mocha', dir, 'xunit.xml'), { ...CTX, suite: 'unit' });

  it('writes the same xunit report for the failing case, read the same', () => {
    expect(brief(xunit('versions/10.8.2/failing'))).toEqual(brief(xunit('failing')));
  });

  it('stops at the same load error, with no report, read from its output as the load failure', () => {
    const output = readCapture('mocha', 'versions/10.8.2/load', 'output.txt');
    expect(brief({ tests: [], loadFailures: mochaLoadFailures(output, CTX, 'unit') }).loadFailures).toEqual([
      ['test/env.test.js', 'ReferenceError: resolveMode is not defined', 'ReferenceError', 'src/env.js:1:14'],
    ]);
  });
});
