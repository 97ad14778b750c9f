// vitest 1, 2 and 3 beside the project's own 4: the flags each is given and what fixloop reads from
// their real reports (fixtures/vitest/versions/<version>/<case>, captured by capture-versions.sh).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vitestCommand, vitestFeatures } from '../../src/runners/vitest/adapter.js';
import { parseVitestReport } from '../../src/runners/vitest/parse.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/vitest/', import.meta.url));
const v = (version: string) => ({ version, major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), from: 'test' });
const at = (l?: { file: string; line: number }) => l && `${l.file}:${l.line}`;

/** A capture read with the case's own directory as root, so sources it names can be read. */
function parse(version: string, name: string) {
  const root = `${FIXTURES}${name}`;
  const read = (file: string) => readFileSync(`${FIXTURES}versions/${version}/${name}/${file}`, 'utf8').replaceAll('<ROOT>', root);
  const results = parseVitestReport(JSON.parse(read('report.json')), { suite: 'unit', cwd: root, defaultOutput: read('output.txt'), major: Number(version[0]) });
  return {
    tests: results.tests.map((t) => [t.fullName, t.status, at(t.location), t.failure?.errorName, at(t.failure?.location)]),
    loadFailures: results.loadFailures.map((l) => [l.file, l.failure.message, at(l.failure.location)]),
  };
}

describe('the flags each vitest is given', () => {
  const chosen = [{ file: 'test/a.test.ts', fullName: 'd > t' }];

  it('vitest 1 and 2: no --includeTaskLocation (their CLI stops at it: "CACError: Unknown option"), said once', () => {
    for (const version of ['1.6.1', '2.1.9']) {
      const features = vitestFeatures(v(version));
      expect(vitestCommand('npx vitest run', '/t/r.json', undefined, {}, features)).toBe('npx vitest run --reporter=json --outputFile.json=/t/r.json --reporter=default');
      expect(features.warnings).toEqual([
        `vitest ${version} has no --includeTaskLocation (vitest 3 has): tests carry no declared line; a failure is still located from its stack.`,
      ]);
    }
  });

  it('vitest 1 matches -t against a name that starts with a space; later versions do not', () => {
    expect(vitestCommand('npx vitest run', '/t/r.json', ['test/a.test.ts'], { tests: chosen, retries: 2 }, vitestFeatures(v('1.6.1')))).toBe(
      "npx vitest run --reporter=json --outputFile.json=/t/r.json --reporter=default -t '^ ?(?:d t)$' --retry=2 --passWithNoTests test/a.test.ts",
    );
    expect(vitestCommand('npx vitest run', '/t/r.json', ['test/a.test.ts'], { tests: chosen, retries: 2 }, vitestFeatures(v('2.1.9')))).toBe(
      "npx vitest run --reporter=json --outputFile.json=/t/r.json --reporter=default -t '^(?:d t)$' --retry=2 --passWithNoTests test/a.test.ts",
    );
  });

  it('vitest 3 and 4, and a vitest whose version is unknown: every flag, no warning', () => {
    for (const version of [v('3.2.7'), v('4.1.12'), { from: 'nowhere' }]) {
      const features = vitestFeatures(version);
      expect(features.warnings).toEqual([]);
      expect(vitestCommand('npm test', '/t/r.json', undefined, { retries: 1 }, features)).toBe(
        'npm test -- --reporter=json --outputFile.json=/t/r.json --reporter=default --includeTaskLocation --retry=1',
      );
    }
  });

  it('a vitest older than 0.32 is not given --retry', () => {
    expect(vitestFeatures(v('0.31.4')).retry).toBe(false);
    expect(vitestCommand('vitest run', '/t/r.json', undefined, { retries: 1 }, vitestFeatures(v('0.31.4')))).toBe('vitest run --reporter=json --outputFile.json=/t/r.json --reporter=default');
  });
});

describe('vitest 1.6.1 reports', () => {
  it('drops the file suite ("") from the names and takes `location` as where the error was thrown, not the declared line', () => {
    expect(parse('1.6.1', 'assertions').tests).toEqual([
      ['price > total > sums price times quantity', 'failed', undefined, 'AssertionError', 'test/price.test.ts:7'],
      ['price > total > is zero for no items', 'passed', undefined, undefined, undefined],
      ['price > labels with an upper-case copy', 'failed', undefined, 'AssertionError', 'test/price.test.ts:16'],
      ['price > handles discounts', 'skipped', undefined, undefined, undefined],
      ['price > handles taxes', 'todo', undefined, undefined, undefined],
    ]);
  });

  it("locates vite 5's \"Failed to load url\" at the importing line, read from the source it names", () => {
    expect(parse('1.6.1', 'missing-module').loadFailures).toEqual([
      ['test/app.test.ts', 'Error: Failed to load url ./helpers (resolved id: ./helpers) in src/app.ts. Does the file exist?', 'src/app.ts:1'],
      ['test/nopkg.test.ts', 'Error: Failed to load url not-installed-pkg (resolved id: not-installed-pkg) in test/nopkg.test.ts. Does the file exist?', 'test/nopkg.test.ts:2'],
    ]);
  });

  it('a JS syntax error names no file in vite 5: the test file failed to load, with no place', () => {
    expect(parse('1.6.1', 'syntax-js').loadFailures).toEqual([
      [
        'test/y.test.ts',
        'Error: Failed to parse source for import analysis because the content contains invalid JS syntax. If you are using JSX, make sure to name the file with the .jsx or .tsx extension.',
        undefined,
      ],
    ]);
  });

  it('reads errors thrown in a source file and a timeout (no stack: no place)', () => {
    expect(parse('1.6.1', 'reference').tests.map((t) => t[4])).toEqual(['src/b.ts:1', 'src/b.ts:1', 'src/b.ts:1']);
    expect(parse('1.6.1', 'timeout').tests).toEqual([
      ['finishes quickly', 'passed', undefined, undefined, undefined],
      ['waits forever', 'failed', undefined, 'Error', undefined],
    ]);
  });
});

describe('vitest 2.1.9 and 3.2.7 reports', () => {
  it('vitest 2: the same results as vitest 4 but for declared lines; syntax errors are located', () => {
    expect(parse('2.1.9', 'assertions').tests.map((t) => [t[0], t[1], t[2], t[4]])).toEqual([
      ['price > total > sums price times quantity', 'failed', undefined, 'test/price.test.ts:7'],
      ['price > total > is zero for no items', 'passed', undefined, undefined],
      ['price > labels with an upper-case copy', 'failed', undefined, 'test/price.test.ts:16'],
      ['price > handles discounts', 'skipped', undefined, undefined],
      ['price > handles taxes', 'todo', undefined, undefined],
    ]);
    expect(parse('2.1.9', 'syntax-js').loadFailures.map((l) => l[2])).toEqual(['src/y.js:3']);
    expect(parse('2.1.9', 'missing-module').loadFailures.map((l) => [l[0], l[2]])).toEqual([
      ['test/app.test.ts', 'src/app.ts:1'],
      ['test/nopkg.test.ts', 'test/nopkg.test.ts:2'],
    ]);
  });

  it('vitest 3: declared lines from --includeTaskLocation, and "Cannot find module" located', () => {
    expect(parse('3.2.7', 'timeout').tests).toEqual([
      ['finishes quickly', 'passed', 'test/slow.test.ts:3', undefined, undefined],
      ['waits forever', 'failed', 'test/slow.test.ts:7', 'Error', 'test/slow.test.ts:7'],
    ]);
    expect(parse('3.2.7', 'missing-module').loadFailures).toEqual([
      ['test/app.test.ts', "Error: Cannot find module './helpers' imported from 'src/app.ts'", 'src/app.ts:1'],
      ['test/nopkg.test.ts', "Error: Cannot find package 'not-installed-pkg' imported from 'test/nopkg.test.ts'", 'test/nopkg.test.ts:2'],
    ]);
  });
});

describe('vitest 1.1.3 reports', () => {
  it('a file that did not load is "passed" with the error as its message: read as a load failure located where it was thrown', () => {
    expect(parse('1.1.3', 'import-time')).toEqual({
      tests: [],
      loadFailures: [
        ['test/config.test.ts', "ReferenceError: Cannot access 'base' before initialization", 'src/config.ts:1'],
        ['test/env.test.ts', 'ReferenceError: resolveMode is not defined', 'src/env.ts:1'],
      ],
    });
  });

  it('files that ran are read as in vitest 1.6', () => {
    expect(parse('1.1.3', 'assertions')).toEqual(parse('1.6.1', 'assertions'));
    expect(parse('1.1.3', 'reference')).toEqual(parse('1.6.1', 'reference'));
  });
});
