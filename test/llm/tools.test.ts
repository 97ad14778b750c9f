import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_DENYLIST, DEFAULT_SECRET_PATTERNS } from '../../src/policy/index.js';
import { runTool, type ToolContext } from '../../src/repair/llm/tools.js';
import { denyMatcher, redactor } from '../../src/repair/llm/paths.js';
import { PROBLEM, sourceDir } from './helpers.js';

const ROOT = sourceDir({
  '.env': 'API_TOKEN=hunter2\n',
  'config/.env.production': 'X=1\n',
  'certs/server.pem': '-----BEGIN CERTIFICATE-----\n',
  'deploy/id_rsa': 'key\n',
  'src/api_key.json': '{}\n',
  'src/keyboard.ts': "export const layout = 'qwerty';\n",
  'src/config.ts': "export const token = 'sk-ant-api03-abcdefghijklmnop';\n",
  'src/use.ts': "import { total } from './total.js';\nexport const all = total([1, 2, 3]);\n",
});
const outside = mkdtempSync(path.join(tmpdir(), 'fixloop-outside-'));
writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
symlinkSync(outside, path.join(ROOT, 'linked'));
const ctx: ToolContext = { root: ROOT, problem: PROBLEM, isDenied: denyMatcher(DEFAULT_READ_DENYLIST), redact: redactor(DEFAULT_SECRET_PATTERNS) };

describe('read_file', () => {
  it('refuses secret files: .env*, keys, certificates', () => {
    for (const file of ['.env', 'config/.env.production', 'certs/server.pem', 'deploy/id_rsa', 'src/api_key.json']) {
      expect(runTool('read_file', { path: file }, ctx)).toEqual({ text: `read_file refused: ${file} may hold secrets (llm.readDenylist)`, error: true });
    }
    expect(runTool('read_file', { path: 'src/keyboard.ts' }, ctx).error).toBeUndefined();
  });

  it('refuses paths outside the repository, symbolic links included', () => {
    expect(runTool('read_file', { path: '../etc/passwd' }, ctx)).toEqual({ text: 'read_file refused: ../etc/passwd: outside the repository', error: true });
    expect(runTool('read_file', { path: '/etc/passwd' }, ctx)).toEqual({ text: 'read_file refused: /etc/passwd: paths must be relative to the repository root', error: true });
    expect(runTool('read_file', { path: 'linked/secret.txt' }, ctx)).toEqual({ text: 'read_file refused: linked/secret.txt: a symbolic link that leads outside the repository', error: true });
  });

  it('redacts what the secret patterns match', () => {
    expect(runTool('read_file', { path: 'src/config.ts' }, ctx).text).toBe("src/config.ts:1-1 of 1\n1\texport const token = '[REDACTED]';");
  });

  it('lists a directory', () => {
    expect(runTool('read_file', { path: 'src' }, ctx).text).toBe('src is a directory:\napi_key.json\nconfig.ts\nkeyboard.ts\ntotal.ts\nuse.ts');
  });
});

describe('find_symbol and find_references', () => {
  it('finds a TypeScript declaration and its references', () => {
    expect(runTool('find_symbol', { name: 'total' }, ctx).text).toBe('src/total.ts:1 function total: export function total(prices: number[]): number {');
    expect(runTool('find_references', { path: 'src/total.ts', line: 1, column: 17 }, ctx).text).toBe(
      [
        'src/total.ts:1:17 (definition): export function total(prices: number[]): number {',
        "src/use.ts:1:10: import { total } from './total.js';",
        'src/use.ts:2:20: export const all = total([1, 2, 3]);',
        "test/total.test.ts:1:10: import { total } from '../src/total.js';",
        "test/total.test.ts:2:25: it('adds', () => expect(total([1, 2])).toBe(3));",
      ].join('\n'),
    );
  });

  it('says clearly when the files are not TypeScript', () => {
    const py = mkdtempSync(path.join(tmpdir(), 'fixloop-py-'));
    mkdirSync(path.join(py, 'shared'));
    writeFileSync(path.join(py, 'shared/env.py'), 'x = 1\n');
    const pyCtx = { ...ctx, root: py };
    expect(runTool('find_symbol', { name: 'x' }, pyCtx)).toEqual({ text: 'find_symbol is not available: this repository has no TypeScript or JavaScript files. Use read_file.', error: true });
    expect(runTool('find_references', { path: 'shared/env.py', line: 1, column: 1 }, pyCtx)).toEqual({
      text: 'find_references is not available for shared/env.py: only TypeScript/JavaScript files are analysed. Use read_file.',
      error: true,
    });
  });

  it('lists the problem\'s failures', () => {
    expect(runTool('list_failures', {}, ctx).text).toBe('1. AssertionError: expected 2 to be 3 (at test/total.test.ts:2)\n\n```\nAssertionError: expected 2 to be 3\n    at test/total.test.ts:2:40\n```');
  });
});
