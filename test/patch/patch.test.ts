import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, guardPatch, patchDiff, patchSize, revertPatch, PatchConflictError } from '../../src/patch/index.js';
import { DEFAULT_PROTECT } from '../../src/policy/index.js';
import type { Patch } from '../../src/model.js';

function root(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-patch-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 1;\nexport const b = x;\n');
  return dir;
}

const patch: Patch = {
  changes: [
    { path: 'src/a.ts', before: 'export const a = 1;\nexport const b = x;\n', after: "import { x } from './x.js';\nexport const a = 1;\nexport const b = x;\n" },
    { path: 'src/x.ts', before: null, after: 'export const x = 2;\n' },
  ],
};

describe('applyPatch / revertPatch', () => {
  it('writes the after contents and restores the before contents exactly', () => {
    const dir = root();
    applyPatch(dir, patch);
    expect(readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(patch.changes[0].after);
    expect(readFileSync(path.join(dir, 'src/x.ts'), 'utf8')).toBe('export const x = 2;\n');
    revertPatch(dir, patch);
    expect(readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(patch.changes[0].before);
    expect(existsSync(path.join(dir, 'src/x.ts'))).toBe(false);
  });

  it('writes nothing when one file no longer matches its before contents', () => {
    const dir = root();
    writeFileSync(path.join(dir, 'src/x.ts'), 'someone else wrote this\n');
    expect(() => applyPatch(dir, patch)).toThrow(PatchConflictError);
    expect(() => applyPatch(dir, patch)).toThrow('src/x.ts has changed since the patch was made; not applied');
    expect(readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(patch.changes[0].before);
  });
});

describe('applyPatch keeps the bytes it did not edit', () => {
  function edited(raw: Buffer, edit: (text: string) => string): Buffer {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-bytes-'));
    writeFileSync(path.join(dir, 'a.py'), raw);
    const before = readFileSync(path.join(dir, 'a.py'), 'utf8');
    applyPatch(dir, { changes: [{ path: 'a.py', before, after: edit(before) }] });
    return readFileSync(path.join(dir, 'a.py'));
  }

  it('keeps a byte that is not UTF-8 on a line the edit did not touch', () => {
    const raw = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 1\ny = x +\n')]);
    const out = edited(raw, (text) => text.replace('y = x +\n', 'y = x + 1\n'));
    expect(out).toEqual(Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nx = 1\ny = x + 1\n')]));
  });

  it('keeps CRLF line endings, and gives added lines the same', () => {
    const out = edited(Buffer.from('a = 1\r\nb = a\r\n'), (text) => text.replace('b = a', 'import os\nb = a'));
    expect(out.toString('latin1')).toBe('a = 1\r\nimport os\r\nb = a\r\n');
  });

  it('keeps a byte-order mark and a file without a final newline', () => {
    const out = edited(Buffer.from('\ufeffa = 1\nb = 2'), (text) => text.replace('a = 1', 'a = 3'));
    expect(out).toEqual(Buffer.from('\ufeffa = 3\nb = 2'));
  });
});

describe('patchDiff', () => {
  it('renders a git-style unified diff, new files from /dev/null', () => {
    expect(patchDiff(patch)).toBe(
      [
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -1,2 +1,3 @@',
        "+import { x } from './x.js';",
        ' export const a = 1;',
        ' export const b = x;',
        '--- /dev/null',
        '+++ b/src/x.ts',
        '@@ -0,0 +1,1 @@',
        '+export const x = 2;',
        '',
      ].join('\n'),
    );
    expect(patchSize(patch)).toBe(2);
  });
});

describe('guardPatch', () => {
  it('allows an edit of a source file', () => {
    expect(guardPatch(patch, DEFAULT_PROTECT)).toEqual({ allowed: true });
  });

  it.each([
    ['test/env.test.ts'],
    ['src/__snapshots__/a.snap'],
    ['fixtures/demo/x.ts'],
    ['package-lock.json'],
    ['.github/workflows/ci.yml'],
    ['loop.policy.json'],
  ])('rejects an edit of the protected path %s', (file) => {
    const p: Patch = { changes: [{ path: file, before: 'a', after: 'b' }] };
    expect(guardPatch(p, DEFAULT_PROTECT)).toEqual({ allowed: false, reason: `${file} is a protected path` });
  });

  it('rejects paths that leave the repository and empty patches', () => {
    expect(guardPatch({ changes: [{ path: '../etc/passwd', before: 'a', after: 'b' }] }, [])).toEqual({
      allowed: false,
      reason: '../etc/passwd is outside the repository',
    });
    expect(guardPatch({ changes: [] }, [])).toEqual({ allowed: false, reason: 'the patch changes nothing' });
  });
});
