import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Patch } from '../../src/model.js';
import { guardPatch } from '../../src/patch/index.js';

const edit = (file: string, before: string | null, after: string | null): Patch => ({ changes: [{ path: file, before, after }] });
const src = 'export function total(a: number, b: number) {\n  return a + b;\n}\n';

describe('guardPatch: test tampering is rejected in any file, protected or not', () => {
  it.each([
    ['it.skip', "it('a', () => {});\n", "it.skip('a', () => {});\n", 'skips or focuses tests'],
    ['describe.only', "describe('a', () => {});\n", "describe.only('a', () => {});\n", 'skips or focuses tests'],
    ['xit', "it('a', () => {});\n", "xit('a', () => {});\n", 'skips or focuses tests'],
    ['test.todo', "test('a', () => {});\n", "test.todo('a');\n", 'skips or focuses tests'],
    ['pytest skip', 'def test_a():\n    assert 1\n', '@pytest.mark.skip\ndef test_a():\n    assert 1\n', 'skips tests'],
  ])('%s', (_name, before, after, what) => {
    expect(guardPatch(edit('lib/checks.ts', before, after), [])).toEqual({ allowed: false, reason: `lib/checks.ts: the change ${what}` });
  });

  it('rejects deleting a test or an assertion in an unprotected test file', () => {
    const before = "it('a', () => { expect(1).toBe(1); });\nit('b', () => { expect(2).toBe(2); });\n";
    expect(guardPatch(edit('test/a.test.ts', before, "it('a', () => { expect(1).toBe(1); });\n"), [])).toEqual({
      allowed: false,
      reason: 'test/a.test.ts: the change deletes or renames tests',
    });
    expect(guardPatch(edit('test/a.test.ts', before, "it('a', () => {});\nit('b', () => { expect(2).toBe(2); });\n"), [])).toEqual({
      allowed: false,
      reason: 'test/a.test.ts: the change deletes assertions',
    });
  });

  it('rejects deleting a test file, editing snapshots and test runner config', () => {
    expect(guardPatch(edit('test/a.test.ts', 'x\n', null), []).reason).toBe('test/a.test.ts is a test file and would be deleted');
    expect(guardPatch(edit('src/__snapshots__/a.test.ts.snap', 'a\n', 'b\n'), []).reason).toBe('src/__snapshots__/a.test.ts.snap is a test snapshot');
    expect(guardPatch(edit('vitest.config.ts', 'a\n', 'b\n'), []).reason).toBe('vitest.config.ts configures the test runner');
    expect(guardPatch(edit('tests/conftest.py', 'a\n', 'b\n'), []).reason).toBe('tests/conftest.py configures the test runner');
  });
});

describe('guardPatch: escape hatches', () => {
  it.each([
    ['// @ts-ignore', '  // @ts-ignore\n  return a + b;', 'silences the type checker'],
    ['@ts-expect-error', '  // @ts-expect-error\n  return a + b;', 'silences the type checker'],
    ['as any', '  return (a as any) + b;', "casts to 'any'"],
    ['eslint-disable', '  // eslint-disable-next-line\n  return a + b;', 'disables the linter'],
    ['empty catch', '  try { return a + b; } catch {}\n  return 0;', 'swallows errors in an empty catch'],
    ['empty catch with binding', '  try { return a + b; } catch (e) { }\n  return 0;', 'swallows errors in an empty catch'],
  ])('rejects %s', (_name, body, what) => {
    const after = src.replace('  return a + b;', body);
    expect(guardPatch(edit('src/total.ts', src, after), [])).toEqual({ allowed: false, reason: `src/total.ts: the change ${what}` });
  });

  it('rejects Python escape hatches', () => {
    expect(guardPatch(edit('app/x.py', 'import os\n', 'import os  # noqa\n'), []).reason).toBe('app/x.py: the change silences the linter');
    expect(guardPatch(edit('app/x.py', 'y = f()\n', 'y = f()  # type: ignore\n'), []).reason).toBe('app/x.py: the change silences the type checker');
    expect(guardPatch(edit('app/x.py', 'try:\n    f()\nfinally:\n    g()\n', 'try:\n    f()\nexcept:\n    pass\n'), []).reason).toBe('app/x.py: the change swallows errors in a bare except');
    expect(guardPatch(edit('app/x.py', 'try:\n    f()\nfinally:\n    g()\n', 'try:\n    f()\nexcept:\n    log()\n'), []).reason).toBe('app/x.py: the change swallows errors in a bare except');
    for (const swallow of ['except ValueError: pass', 'except ValueError:\n    pass']) {
      expect(guardPatch(edit('app/x.py', 'try:\n    f()\nfinally:\n    g()\n', `try:\n    f()\n${swallow}\n`), []).reason).toBe('app/x.py: the change swallows errors in a bare except');
    }
  });

  it("allows a typed except that handles the error, and a syntax repair that restores an except header's colon (packaging's tags.py)", () => {
    const handled = 'try:\n    parts = split(tag)\nexcept ValueError as exc:\n    raise InvalidTag(tag) from exc\n';
    expect(guardPatch(edit('app/tags.py', 'parts = split(tag)\n', handled), [])).toEqual({ allowed: true });
    expect(guardPatch(edit('app/tags.py', handled.replace('exc:', 'exc'), handled), [])).toEqual({ allowed: true });
    const bare = 'try:\n    f()\nexcept:\n    pass\n';
    expect(guardPatch(edit('app/x.py', bare.replace('except:', 'except'), bare), [])).toEqual({ allowed: true });
  });

  it('allows an escape hatch that was already there, and all of them when the policy allows it', () => {
    const withIgnore = '// @ts-ignore\nconst a: number = "x";\n';
    expect(guardPatch(edit('src/a.ts', withIgnore, withIgnore.replace('const a', 'export const a')), [])).toEqual({ allowed: true });
    const cast = edit('src/total.ts', src, src.replace('a + b', '(a as any) + b'));
    expect(guardPatch(cast, { protect: [], allowEscapeHatches: true })).toEqual({ allowed: true });
  });
});

describe('guardPatch: size, binary and paths', () => {
  it('enforces maxFiles and maxPatchLines', () => {
    const two: Patch = { changes: [{ path: 'a.ts', before: 'a\n', after: 'b\n' }, { path: 'b.ts', before: 'a\n', after: 'b\n' }] };
    expect(guardPatch(two, { protect: [], maxFiles: 1 }).reason).toBe('the patch changes 2 files; the limit is 1 (repair.maxFiles)');
    expect(guardPatch(two, { protect: [], maxPatchLines: 3 }).reason).toBe('the patch changes 4 lines; the limit is 3 (repair.maxPatchLines)');
    expect(guardPatch(two, { protect: [], maxPatchLines: 4, maxFiles: 2 })).toEqual({ allowed: true });
  });

  it('rejects binary content', () => {
    expect(guardPatch(edit('src/a.bin', 'a', 'a\u0000b'), []).reason).toBe('src/a.bin would become a binary file');
  });

  it('rejects a path that leaves the repository through a symlinked folder', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'fixloop-guard-'));
    const outside = mkdtempSync(path.join(tmpdir(), 'fixloop-outside-'));
    writeFileSync(path.join(outside, 'secret.ts'), 'x\n');
    mkdirSync(path.join(root, 'src'));
    symlinkSync(outside, path.join(root, 'src/linked'), 'dir');
    expect(guardPatch(edit('src/linked/secret.ts', 'x\n', 'y\n'), { protect: [], root }).reason).toBe('src/linked/secret.ts is outside the repository');
    expect(guardPatch(edit('src/new/file.ts', null, 'y\n'), { protect: [], root })).toEqual({ allowed: true });
  });
});
