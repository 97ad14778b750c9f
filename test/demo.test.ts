import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDemoRepo } from '../src/demo.js';
import { sh } from './helpers/git-repo.js';

describe('prepareDemoRepo', () => {
  it('makes a clean one-commit repository of the demo app, with vitest reachable through a linked node_modules', async () => {
    const dir = await prepareDemoRepo();
    expect(sh(dir, 'git', ['log', '--format=%s'])).toBe('chore: demo app with a seeded defect');
    expect(sh(dir, 'git', ['status', '--porcelain'])).toBe('');
    expect(lstatSync(path.join(dir, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(dir, 'node_modules/.bin/vitest'))).toBe(true);
    expect(sh(dir, 'git', ['ls-files', 'src/shared']).split('\n')).toEqual(['src/shared/isolated-environment.ts', 'src/shared/parse.ts']);
  });
});
