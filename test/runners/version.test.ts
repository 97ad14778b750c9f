// Learning a runner's version: from node_modules as Node resolves it, or from a command's output,
// once per directory and runner.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atLeast, clearVersionCache, commandVersion, installedPackageVersion, packageVersion } from '../../src/runners/version.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  clearVersionCache();
});

function tmp(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'fixloop-version-')));
  dirs.push(dir);
  return dir;
}

function install(dir: string, name: string, version: string): string {
  mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
  const file = path.join(dir, 'node_modules', name, 'package.json');
  writeFileSync(file, JSON.stringify({ name, version }));
  return file;
}

describe('installedPackageVersion', () => {
  it('finds the package in the directory or the nearest one above it, as Node resolves it', () => {
    const root = tmp();
    const outer = install(root, 'vitest', '1.6.1');
    mkdirSync(path.join(root, 'packages/app'), { recursive: true });
    expect(installedPackageVersion(['vitest'], path.join(root, 'packages/app'))).toEqual({ version: '1.6.1', major: 1, minor: 6, from: outer });
    const inner = install(path.join(root, 'packages/app'), 'vitest', '3.2.7');
    expect(installedPackageVersion(['vitest'], path.join(root, 'packages/app'))).toEqual({ version: '3.2.7', major: 3, minor: 2, from: inner });
  });

  it('takes the first of several names that is installed (jest, then jest-cli), and says where it looked when none is', () => {
    const root = tmp();
    install(root, 'jest-cli', '27.5.1');
    expect(installedPackageVersion(['jest', 'jest-cli'], root).version).toBe('27.5.1');
    const none = tmp();
    expect(installedPackageVersion(['mocha'], none)).toEqual({ from: `no mocha in node_modules from ${none} up` });
  });

  it('reads a pre-release version by its numbers', () => {
    const root = tmp();
    install(root, 'vitest', '4.0.0-beta.3');
    expect(installedPackageVersion(['vitest'], root)).toMatchObject({ version: '4.0.0', major: 4, minor: 0 });
  });
});

describe('packageVersion and commandVersion', () => {
  it('read a directory once per process: a later install is not seen until the cache is cleared', async () => {
    const root = tmp();
    install(root, 'mocha', '10.8.2');
    expect((await packageVersion(['mocha'], root)).version).toBe('10.8.2');
    install(root, 'mocha', '11.8.0');
    expect((await packageVersion(['mocha'], root)).version).toBe('10.8.2');
    clearVersionCache();
    expect((await packageVersion(['mocha'], root)).version).toBe('11.8.0');
  });

  it("find the version in a command's output, stdout or stderr, in its directory and environment", async () => {
    const dir = tmp();
    expect(await commandVersion('echo "pytest $V"', dir, /pytest (\d+\.\d+\.\d+)/, { V: '7.2.1' })).toEqual({ version: '7.2.1', major: 7, minor: 2, from: '`echo "pytest $V"`' });
    expect((await commandVersion('echo v18.20.4 >&2', dir, /v(\d+\.\d+\.\d+)/)).version).toBe('18.20.4');
    expect(await commandVersion('exit 2', dir, /v(\d+\.\d+\.\d+)/)).toEqual({ from: '`exit 2`' });
  });
});

describe('atLeast', () => {
  it('compares major and minor; an unknown version is taken as new enough', () => {
    const v = { version: '18.15.0', major: 18, minor: 15, from: 't' };
    expect([atLeast(v, 18, 15), atLeast(v, 18, 16), atLeast(v, 17), atLeast(v, 19), atLeast({ from: 't' }, 99)]).toEqual([true, false, true, false, true]);
  });
});
