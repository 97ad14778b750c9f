// pytest 7.2.1 (Debian bookworm's python3-pytest) and 8.3.5 (Debian trixie's) beside the machine's 9.0.3: the command that
// learns the version, the flags by version, and pytest 7's real JUnit report
// (fixtures/pytest/versions/pytest-7.2.1 and -8.3.5, captured by capture-versions.sh) read as pytest 9's.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pytestCommand, pytestVersionCommand } from '../../src/runners/pytest/adapter.js';
import { parseJunitXml } from '../../src/runners/junit/parse.js';
import { brief, CTX, readCapture } from './runner-captures.js';

const parse = (dir: string) => parseJunitXml(readCapture('pytest', dir, 'junit.xml'), { ...CTX, suite: 'unit', dialect: 'pytest' });
const v = (version: string) => ({ version, major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), from: 'test' });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pytest 7.2.1 reports', () => {
  it('failing tests and collection errors read as pytest 9.0.3 reads them', () => {
    expect(brief(parse('versions/pytest-7.2.1/failing'))).toEqual(brief(parse('failing')));
    expect(brief(parse('versions/pytest-7.2.1/load'))).toEqual(brief(parse('load')));
  });
});

describe('pytest 8.3.5 reports', () => {
  it('failing tests and collection errors read as pytest 9.0.3 reads them', () => {
    expect(brief(parse('versions/pytest-8.3.5/failing'))).toEqual(brief(parse('failing')));
    expect(brief(parse('versions/pytest-8.3.5/load'))).toEqual(brief(parse('load')));
  });

  it('asks for xunit1 as for 7 and 9', () => {
    expect(pytestCommand('python3 -m pytest', '/t/j.xml', undefined, '/nowhere', {}, v('8.3.5'))).toBe(
      'python3 -m pytest --junitxml=/t/j.xml -o junit_family=xunit1 --continue-on-collection-errors',
    );
  });
});

describe('the pytest a suite runs, and its flags', () => {
  it('asks the command itself, up to its pytest, for --version', () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-pytest-')));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { 'test:py': 'uv run pytest -q tests' } }));
    expect(
      ['python3 -m pytest -x tests', '/usr/bin/python3.11 -m pytest', '.venv/bin/pytest -q', 'cd api && py.test', 'npm run test:py', 'make test'].map((c) =>
        pytestVersionCommand(c, dir),
      ),
    ).toEqual(['python3 -m pytest --version', '/usr/bin/python3.11 -m pytest --version', '.venv/bin/pytest --version', 'cd api && py.test --version', 'uv run pytest --version', undefined]);
  });

  it('asks for xunit1 by junit_family from pytest 4.2, which has it; older ones write only xunit1', () => {
    expect(pytestCommand('python3 -m pytest', '/t/j.xml', undefined, '/nowhere', {}, v('7.2.1'))).toBe(
      'python3 -m pytest --junitxml=/t/j.xml -o junit_family=xunit1 --continue-on-collection-errors',
    );
    expect(pytestCommand('python3 -m pytest', '/t/j.xml', undefined, '/nowhere', {}, v('4.1.1'))).toBe('python3 -m pytest --junitxml=/t/j.xml --continue-on-collection-errors');
  });
});
