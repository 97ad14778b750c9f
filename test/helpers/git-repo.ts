import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function sh(cwd: string, cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A new git repository in a temp dir holding the given files (or a copy of a fixture folder), with one commit. */
export function makeRepo(files: Record<string, string> | string, opts: { identity?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-repo-'));
  if (typeof files === 'string') cpSync(files, dir, { recursive: true });
  else
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
  sh(dir, 'git', ['init', '-q', '-b', 'main']);
  if (opts.identity !== false) {
    sh(dir, 'git', ['config', 'user.email', 'dev@example.com']);
    sh(dir, 'git', ['config', 'user.name', 'Dev']);
  }
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', 'commit', '-qm', 'initial']);
  return dir;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DEMO_APP = path.join(ROOT, 'fixtures/demo-app');
export const BIN = path.join(ROOT, 'bin/fixloop.js');

/**
 * A git repository that can run vitest: fixloop's own node_modules is linked in (ignored by git),
 * the way `fixloop demo` does it.
 */
export function makeVitestRepo(files: Record<string, string> | string, edit?: (dir: string) => void): string {
  const dir = makeRepo(typeof files === 'string' ? files : { '.gitignore': 'node_modules\n', ...files });
  if (edit) {
    edit(dir);
    sh(dir, 'git', ['add', '-A']);
    sh(dir, 'git', ['commit', '-qm', 'test setup']);
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** The demo app with a single suite: the same defect, a quarter of the vitest start-ups. */
export function demoRepo(): string {
  return makeVitestRepo(DEMO_APP, (dir) =>
    writeFileSync(path.join(dir, 'loop.policy.json'), JSON.stringify({ suites: [{ name: 'all', command: 'npx vitest run', timeoutSec: 120 }] })),
  );
}

/** A temporary directory (not a git repository) holding `files`, folders made as needed. */
export function writeProject(files: Record<string, string>, prefix = 'fixloop-project-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
