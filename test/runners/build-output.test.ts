// A failure in a package's bundle (no source map) is located at the source line the bundle copied.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceOfBuiltLine } from '../../src/runners/build-output.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fixloop-built-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const SOURCE = ['const validSeverities = new Set([0, 1, 2]);', '', '/**', ' * @param {Object} rulesDonfig The rules configuration.', ' */', 'export function valid(rulesConfig) {', '\treturn true;', '}', ''].join('\n');
// rollup's shape: a banner, the module's lines as written (tabs kept), other modules around them.
const BUNDLE = ['// @ts-self-types="./index.d.ts"', 'const other = 1;', '', ...SOURCE.split('\n')].join('\n');

describe('sourceOfBuiltLine', () => {
  it("moves a line of a package's dist/ bundle to the src/ line it was copied from, column shifted by the indentation", () => {
    const root = repo({ 'packages/kit/src/severity.js': SOURCE, 'packages/kit/src/other.js': 'const other = 1;\n', 'packages/kit/dist/esm/index.js': BUNDLE });
    expect(sourceOfBuiltLine(root, { file: 'packages/kit/dist/esm/index.js', line: 7, column: 20 })).toEqual({ file: 'packages/kit/src/severity.js', line: 4, column: 20 });
    expect(sourceOfBuiltLine(root, { file: 'packages/kit/dist/esm/index.js', line: 4 })).toEqual({ file: 'packages/kit/src/severity.js', line: 1 });
  });

  it('says nothing for a short or repeated line, a bundle with a source map, or a file outside a build folder', () => {
    const root = repo({
      'src/a.js': 'export function valid(rulesConfig) {\n\treturn true;\n}\n',
      'src/b.js': 'export function valid(rulesConfig) {\n}\n',
      'dist/index.js': 'export function valid(rulesConfig) {\n\treturn true;\n}\n',
      'build/mapped.js': 'const validSeverities = new Set([0, 1, 2]);\n//# sourceMappingURL=mapped.js.map\n',
      'src/c.js': 'const validSeverities = new Set([0, 1, 2]);\n',
      'lib/index.js': 'const validSeverities = new Set([0, 1, 2]);\n',
    });
    expect(sourceOfBuiltLine(root, { file: 'dist/index.js', line: 1 })).toBeUndefined(); // in src/a.js and src/b.js
    expect(sourceOfBuiltLine(root, { file: 'dist/index.js', line: 2 })).toBeUndefined(); // "return true;": too short to tell
    expect(sourceOfBuiltLine(root, { file: 'build/mapped.js', line: 1 })).toBeUndefined();
    expect(sourceOfBuiltLine(root, { file: 'lib/index.js', line: 1 })).toBeUndefined();
    expect(sourceOfBuiltLine(root, { file: 'dist/missing.js', line: 1 })).toBeUndefined();
  });
});
