// Verification worktrees resolve dependencies as the checkout does, and nothing run in them can
// change the checkout's: a workspace with node_modules at two depths, virtualenvs, a submodule.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorktree, describeDependencies, removeWorktree } from '../../src/vcs/index.js';
import { makeRepo, sh } from '../helpers/git-repo.js';

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** A workspace as a user has it after `npm install`, with a submodule checked out one commit ahead of the recorded one. */
function workspace(): string {
  const lib = makeRepo({ 'version.txt': 'v1\n' });
  const recorded = sh(lib, 'git', ['rev-parse', 'HEAD']);
  const root = makeRepo({
    '.gitignore': 'node_modules/\n.venv/\nenv/\n',
    'package.json': JSON.stringify({ name: 'ws', version: '1.0.0', private: true }),
    'package-lock.json': JSON.stringify({ name: 'ws', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'ws', version: '1.0.0' } } }),
    'packages/a/package.json': '{"name":"a"}',
    'packages/a/index.js': "module.exports = [require('local-dep'), require('shared'), require('@s/x')].join(' ');\n",
  });
  sh(root, 'git', ['-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', lib, 'vendor/lib']);
  sh(root, 'git', ['-c', 'user.email=d@e', '-c', 'user.name=D', 'commit', '-qm', 'add lib']);
  // The user's submodule checkout has moved on; the worktree must get the commit the superproject records.
  write(path.join(root, 'vendor/lib'), { 'version.txt': 'v2\n' });
  sh(path.join(root, 'vendor/lib'), 'git', ['-c', 'user.email=d@e', '-c', 'user.name=D', 'commit', '-qam', 'v2']);
  expect(sh(root, 'git', ['ls-tree', 'HEAD', 'vendor/lib'])).toContain(recorded);
  write(root, {
    'node_modules/shared/index.js': "module.exports = 'shared';\n",
    'node_modules/@s/x/index.js': "module.exports = 'scoped';\n",
    'node_modules/.bin/tool': '#!/bin/sh\necho tool\n',
    'node_modules/.package-lock.json': '{"name":"ws","lockfileVersion":3,"packages":{}}\n',
    'packages/a/node_modules/local-dep/index.js': "module.exports = 'local';\n",
    'packages/untracked/node_modules/x/index.js': '',
    '.venv/pyvenv.cfg': 'home = /usr/bin\n',
    'env/pyvenv.cfg': 'home = /usr/bin\n',
  });
  chmodSync(path.join(root, 'node_modules/.bin/tool'), 0o755);
  return root;
}

describe('addWorktree provides what the checkout has outside git', () => {
  it('node_modules at every depth, virtualenvs and submodules; says how', async () => {
    const root = workspace();
    const wt = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-wt-')), 'tree');
    const provided = await addWorktree(root, wt, 'HEAD');
    expect(describeDependencies(provided)).toBe(
      "linked node_modules at ., packages/a; linked virtualenv .venv, env; submodule vendor/lib checked out from the checkout's copy",
    );
    expect(execFileSync('node', ['-p', "require('./index.js')"], { cwd: path.join(wt, 'packages/a'), encoding: 'utf8' })).toBe('local shared scoped\n');
    expect(execFileSync(path.join(wt, 'node_modules/.bin/tool'), { encoding: 'utf8' })).toBe('tool\n');
    expect([lstatSync(path.join(wt, '.venv')).isDirectory(), lstatSync(path.join(wt, '.venv/pyvenv.cfg')).isSymbolicLink()]).toEqual([true, false]);
    expect(readFileSync(path.join(wt, 'vendor/lib/version.txt'), 'utf8')).toBe('v1\n');
    expect(existsSync(path.join(wt, 'packages/untracked'))).toBe(false);
    // The worktree is clean for git: nothing provided shows as a change.
    expect(sh(wt, 'git', ['status', '--porcelain'])).toBe('');
    await removeWorktree(root, wt);
    expect(readFileSync(path.join(root, 'vendor/lib/version.txt'), 'utf8')).toBe('v2\n');
    expect(readdirSync(path.join(root, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', '@s', 'shared']);
  }, 30_000);

  it("lets `npm ci` in the worktree empty the worktree's node_modules, never the user's", async () => {
    const root = workspace();
    const wt = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-wt-')), 'tree');
    await addWorktree(root, wt, 'HEAD');
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: wt, stdio: 'ignore' });
    expect(existsSync(path.join(wt, 'node_modules/shared'))).toBe(false);
    expect(readdirSync(path.join(root, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', '@s', 'shared']);
    expect(readFileSync(path.join(root, 'node_modules/shared/index.js'), 'utf8')).toBe("module.exports = 'shared';\n");
    expect(readFileSync(path.join(root, 'node_modules/.package-lock.json'), 'utf8')).toBe('{"name":"ws","lockfileVersion":3,"packages":{}}\n');
    expect(readdirSync(path.join(root, 'node_modules/.bin'))).toEqual(['tool']);
    await removeWorktree(root, wt);
  }, 60_000);
});

describe('a node_modules linked into the checkout', () => {
  it('is provided like a directory: git lists the link as a file', async () => {
    const store = mkdtempSync(path.join(tmpdir(), 'fixloop-store-'));
    write(store, { 'dep/index.js': "module.exports = 'dep';\n" });
    const root = makeRepo({ '.gitignore': 'node_modules\n', 'a.js': "module.exports = require('dep');\n" });
    symlinkSync(store, path.join(root, 'node_modules'), 'dir');
    const wt = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-wt-')), 'tree');
    expect(describeDependencies(await addWorktree(root, wt, 'HEAD'))).toBe('linked node_modules at .');
    expect(execFileSync('node', ['-p', "require('./a.js')"], { cwd: wt, encoding: 'utf8' })).toBe('dep\n');
    await removeWorktree(root, wt);
    expect(readdirSync(store)).toEqual(['dep']);
  });
});

describe('workspace packages linked into node_modules (yarn, npm and pnpm workspaces)', () => {
  /** As `yarn install` with preconstruct's `postinstall: preconstruct dev` leaves it: links to the packages, an ignored dist/ that re-exports src/. */
  function monorepo(): string {
    const root = makeRepo({
      '.gitignore': 'node_modules/\ndist/\ncoverage/\n',
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/lib/package.json': JSON.stringify({ name: '@ws/lib', main: 'dist/ws-lib.cjs.js', exports: { '.': { default: './dist/ws-lib.cjs.js' }, './web': './web/dist/web.js' }, bin: { lib: 'bin.js' } }),
      'packages/lib/src/index.js': "module.exports = 'lib at commit';\n",
      'packages/lib/web/index.js': '',
      'packages/lib/bin.js': "#!/usr/bin/env node\nconsole.log(require('./src/index.js'));\n",
      'packages/app/package.json': JSON.stringify({ name: 'app' }),
      'packages/app/index.js': "module.exports = [require('@ws/lib'), require('@ws/lib/web'), require('plain')].join(' / ');\n",
    });
    write(root, {
      'packages/lib/dist/ws-lib.cjs.js': "module.exports = require('../src/index.js');\n",
      'packages/lib/coverage/lcov.info': '',
      'packages/lib/web/dist/web.js': "module.exports = 'web';\n",
      'node_modules/plain/index.js': "module.exports = 'plain';\n",
    });
    mkdirSync(path.join(root, 'node_modules/@ws'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules/.bin'));
    symlinkSync('../../packages/lib', path.join(root, 'node_modules/@ws/lib'));
    symlinkSync('../packages/app', path.join(root, 'node_modules/app'));
    symlinkSync('../@ws/lib/bin.js', path.join(root, 'node_modules/.bin/lib'));
    return root;
  }

  it("resolve to the worktree's own packages, with the build output their entry points name copied", async () => {
    const root = monorepo();
    const wt = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-wt-')), 'tree');
    const provided = await addWorktree(root, wt, 'HEAD');
    expect(describeDependencies(provided)).toBe("linked node_modules at .; workspace packages linked to the worktree's own, with their build output copied: packages/lib/dist, packages/lib/web/dist");
    // A candidate's change in the worktree is what the worktree's tests import, through the package's name.
    writeFileSync(path.join(wt, 'packages/lib/src/index.js'), "module.exports = 'lib in worktree';\n");
    expect(execFileSync('node', ['-p', "require('./index.js')"], { cwd: path.join(wt, 'packages/app'), encoding: 'utf8' })).toBe('lib in worktree / web / plain\n');
    expect(execFileSync('node', [path.join(wt, 'node_modules/.bin/lib')], { encoding: 'utf8' })).toBe('lib in worktree\n');
    expect(readlinkSync(path.join(wt, 'node_modules/app'))).toBe(path.join(wt, 'packages/app'));
    // Only the directories entry points live in: not coverage/.
    expect(existsSync(path.join(wt, 'packages/lib/coverage'))).toBe(false);
    expect(sh(wt, 'git', ['status', '--porcelain'])).toBe('M packages/lib/src/index.js');
    await removeWorktree(root, wt);
    expect(readFileSync(path.join(root, 'packages/lib/src/index.js'), 'utf8')).toBe("module.exports = 'lib at commit';\n");
    expect(readlinkSync(path.join(root, 'node_modules/@ws/lib'))).toBe('../../packages/lib');
  }, 30_000);
});
