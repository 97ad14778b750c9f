// node:test on Node 18 (Debian bookworm's 18.20.4) and 22 (22.23.3) beside the machine's 20: the
// flags each is given, and fixloop's reporter output of each (fixloop/node-test/versions/node-<v>,
// captured by capture-versions.sh) read as node 20's is.
import { describe, expect, it } from 'vitest';
import { parseNodeTestReport } from '../../src/runners/node-test/parse.js';
import { nodeBinary, nodeTestCommand, nodeTestFeatures, nodeTestReporterPath } from '../../src/runners/node-test/adapter.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const v = (version: string) => ({ version, major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), from: 'test' });
const parse = (version: string, name: string) => parseNodeTestReport(readCapture('node-test', `versions/node-${version}/${name}`, 'report.ndjson'), 'unit', CTX);
const node20 = (name: string) => parseNodeTestReport(readCapture('node-test', name, 'report.ndjson'), 'unit', CTX);

describe('what each node is asked for', () => {
  const reporter = nodeTestReporterPath();
  const chosen = [{ file: 'test/a.test.js', fullName: 'd > t' }];

  it('node 18.20, 20 and 22: the reporter and --test-name-pattern', () => {
    for (const version of ['18.20.4', '20.20.2', '22.23.3']) {
      const features = nodeTestFeatures(v(version));
      expect([features.reporter, features.namePattern, features.warnings]).toEqual([true, true, []]);
      expect(nodeTestCommand('node --test', '/t/r', undefined, '/nowhere', { tests: chosen }, features).run).toBe(
        `node --test-reporter=${reporter} --test-reporter-destination=/t/r --test-name-pattern='^(?:t)$' --test-reporter=spec --test-reporter-destination=stdout --test`,
      );
    }
  });

  it('node 18.11 to 18.14 and 19.0 to 19.5 have no --test-reporter; before 18.11 no --test-name-pattern either: said, not hidden', () => {
    expect(nodeTestFeatures(v('18.14.2')).warnings).toEqual(['node 18.14.2 has no --test-reporter (node 18.15, 19.6 and 20 have): fixloop cannot read its tests.']);
    expect(nodeTestFeatures(v('19.5.0')).reporter).toBe(false);
    expect(nodeTestFeatures(v('19.6.0')).reporter).toBe(true);
    const old = nodeTestFeatures(v('18.10.0'));
    expect(old.namePattern).toBe(false);
    expect(nodeTestCommand('node --test', '/t/r', undefined, '/nowhere', { tests: chosen }, old).run).not.toContain('--test-name-pattern');
  });

  it('says that retries happen in new runs, since node cannot retry within one', () => {
    expect(nodeTestCommand('node --test', '/t/r', undefined, '/nowhere', { retries: 2 }, nodeTestFeatures(v('22.23.3'))).warnings).toEqual([
      "node's test runner cannot retry a failing test within the run: fixloop re-runs failing tests in new runs instead.",
    ]);
  });

  it('asks the node the command names for its version', () => {
    expect(nodeBinary('/opt/node18/bin/node --test test/', '/nowhere')).toBe('/opt/node18/bin/node');
    expect(nodeBinary('npx tsx --test', '/nowhere')).toBe('node');
  });
});

describe("fixloop's reporter on node 18 and 22", () => {
  it.each(['18.20.4', '22.23.3'])('node %s: failing tests, timeouts and files that do not load read as on node 20', (version) => {
    for (const name of ['failing', 'timeout', 'load']) expect(brief(parse(version, name))).toEqual(brief(node20(name)));
  });

  it("node 22 names a file's wrapper and output by the path relative to where it runs: still a load failure, with its stderr", () => {
    expect(brief(parse('22.23.3', 'load')).loadFailures).toEqual([
      ['test/env.test.js', 'ReferenceError: resolveMode is not defined', 'ReferenceError', 'src/env.js:1'],
      ['test/export.test.js', "SyntaxError: The requested module '../src/lib.js' does not provide an export named 'missing'", 'SyntaxError', 'test/export.test.js:2'],
      ['test/module.test.js', "Error [ERR_MODULE_NOT_FOUND]: Cannot find module 'src/helpers.js' imported from test/module.test.js", 'Error', undefined],
      ['test/syntax.test.js', "SyntaxError: Unexpected token ';'", 'SyntaxError', 'src/syntax.js:3'],
    ]);
  });

  it('with a name pattern node 18 and 20 report every other test as skipped (as vitest and jest do), node 22 only the chosen one', () => {
    for (const version of ['18.20.4', '20.20.2']) {
      expect(parse(version, 'failing-named').tests.map((t) => t.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'failed', 'skipped']);
    }
    expect(parse('22.23.3', 'failing-named').tests.map((t) => [t.fullName, t.status])).toEqual([['price > joins parts', 'failed']]);
  });
});
