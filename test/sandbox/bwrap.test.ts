import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapStatus, isolationFor, sandboxedCommand, writesOutside } from '../../src/sandbox/bwrap.js';

// bubblewrap is a test prerequisite on Linux, like pytest: .ci/run installs Debian's package.
function sandbox(script: string, network = false) {
  const base = mkdtempSync(path.join(tmpdir(), 'fixloop-sbx-'));
  const tree = path.join(base, 'tree');
  const tmp = path.join(base, 'tmp');
  mkdirSync(tree);
  mkdirSync(tmp);
  const command = sandboxedCommand(script, tree, { writable: [tree], tmpDir: tmp, network });
  const run = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { base, tree, tmp, output: run.stdout + run.stderr };
}

describe('the bubblewrap sandbox', () => {
  it('runs here', () => {
    expect(bwrapStatus()).toEqual({ ok: true });
    expect(isolationFor('auto', false)).toEqual({ kind: 'bwrap', network: false });
    expect(isolationFor('off', false)).toEqual({ kind: 'none', why: 'verify.sandbox is "off"' });
  });

  it('lets the command write its worktree and private temp dir, and nothing else', () => {
    const outside = path.join(homedir(), `fixloop-sbx-escape-${process.pid}`);
    const { tree, tmp, output } = sandbox(`echo in > inside.txt && echo t > "$TMPDIR/t" && echo out > ${outside}; echo "tmp=$TMPDIR"`);
    expect(readFileSync(path.join(tree, 'inside.txt'), 'utf8')).toBe('in\n');
    expect(readFileSync(path.join(tmp, 't'), 'utf8')).toBe('t\n');
    expect(existsSync(outside)).toBe(false);
    expect(output).toContain(`tmp=${tmp}`);
    expect(writesOutside(output)).toEqual([outside]);
  });

  it('has no network unless allowed', () => {
    const script = `node -e "require('net').connect(9, '127.0.0.1').on('error', (e) => console.log('net', e.code))"; ip -o link 2>/dev/null | wc -l`;
    expect(sandbox(script).output).toMatch(/net (ECONNREFUSED|ENETUNREACH|EADDRNOTAVAIL)/);
    expect(sandbox('cat /proc/net/dev | wc -l').output.trim()).toBe('3');
    expect(Number(sandbox('cat /proc/net/dev | wc -l', true).output.trim())).toBeGreaterThan(3);
  });
});

describe('writesOutside', () => {
  it('reads the paths a run could not write from Node, Python and coreutils errors', () => {
    const output = [
      "Error: EROFS: read-only file system, open '/home/u/repo/src/a.ts'",
      "OSError: [Errno 30] Read-only file system: '/root/.ssh/x'",
      "touch: cannot touch '/etc/x': Read-only file system",
      'sh: 1: cannot create /work/y: Read-only file system',
    ].join('\n');
    expect(writesOutside(output)).toEqual(['/home/u/repo/src/a.ts', '/root/.ssh/x', '/etc/x', '/work/y']);
  });
});
