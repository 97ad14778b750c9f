import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
