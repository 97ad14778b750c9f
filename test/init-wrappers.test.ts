// `fixloop init` on scripts of real repositories whose runner sits behind another program: node
// running the runner's bin, coverage tools with options, dotenv; and a runner config left behind.
import { describe, expect, it } from 'vitest';
import { detectSuites } from '../src/init/index.js';
import { classify } from '../src/init/scripts.js';
import { writeProject } from './helpers/git-repo.js';

const pkg = (fields: object): string => JSON.stringify(fields);
const formatOf = (words: string[]) => {
  const found = classify(words);
  return found && `${found.format} at ${found.at}`;
};

describe('the runner behind a wrapper', () => {
  it('is found past node and its options, coverage tools and their options, dotenv', () => {
    // uuidjs/uuid at jest 27.
    expect(formatOf(['BABEL_ENV=commonjs', 'node', '--throw-deprecation', 'node_modules/.bin/jest', 'test/unit/'])).toBe('jest at 3');
    expect(formatOf(['node', '-r', 'ts-node/register', 'node_modules/mocha/bin/_mocha', 'test'])).toBe('mocha at 3');
    expect(formatOf(['node', 'node_modules/jest/bin/jest.js'])).toBe('jest at 1');
    // yargs/yargs-parser: every option of c8, not only the first.
    expect(formatOf(['c8', '--reporter=text', '--reporter=html', 'mocha', 'test/*.mjs'])).toBe('mocha at 3');
    expect(formatOf(['c8', '-r', 'text', '-r', 'html', 'mocha'])).toBe('mocha at 5');
    expect(formatOf(['nyc', '--reporter', 'lcov', '--all', 'mocha'])).toBe('mocha at 4');
    // fastify/fastify-plugin.
    expect(formatOf(['c8', '--100', 'node', '--test'])).toBe('node-test at 2');
    expect(formatOf(['dotenv', '-e', '.env.test', '--', 'jest'])).toBe('jest at 4');
    expect(formatOf(['npx', '--yes', 'jest'])).toBe('jest at 2');
    // node running the project's own script, or coverage reporting: no runner.
    expect(formatOf(['node', 'scripts/test.js'])).toBeUndefined();
    expect(formatOf(['c8', 'report', '--check-coverage'])).toBeUndefined();
  });

  it('gives suites that run the script as it is, so the report flags reach the runner through the wrapper', () => {
    const scripts = { pretest: '[ -n $CI ] || npm run build', test: 'BABEL_ENV=commonjs node --throw-deprecation node_modules/.bin/jest test/unit/' };
    expect(detectSuites(writeProject({ 'package.json': pkg({ scripts }), 'package-lock.json': '{}' })).suites).toEqual([
      { name: 'test', command: 'npm test', format: 'jest', timeoutSec: 600 },
    ]);
    const yargs = { pretest: 'rimraf build && tsc -p tsconfig.test.json', test: 'c8 --reporter=text --reporter=html mocha test/*.mjs', 'test:typescript': 'c8 mocha ./build/test/typescript/*.js' };
    expect(detectSuites(writeProject({ 'package.json': pkg({ scripts: yargs }) })).suites).toEqual([
      { name: 'test', command: 'npm test', format: 'mocha', timeoutSec: 600 },
      { name: 'typescript', command: 'npm run test:typescript', format: 'mocha', timeoutSec: 600 },
    ]);
    // Not the whole script: the wrapper is run with the manager's runner.
    expect(detectSuites(writeProject({ 'package.json': pkg({ scripts: { test: 'tsc && c8 --100 node --test' } }) })).suites).toEqual([
      { name: 'test', command: 'npx c8 --100 node --test', format: 'node-test', timeoutSec: 600, setup: ['npx tsc'] },
    ]);
  });
});

describe('a runner config the package does not use', () => {
  it('is a leftover when package.json depends on other things and the runner is not installed (commander after its move to node:test)', () => {
    const files = { 'package.json': pkg({ scripts: { test: 'node --test && npm run check:type:ts' }, devDependencies: { tsd: '^0.31.0' } }), 'jest.config.js': 'module.exports = {};\n' };
    const { suites, notes } = detectSuites(writeProject(files));
    expect(suites).toEqual([{ name: 'test', command: 'node --test', format: 'node-test', timeoutSec: 600 }]);
    expect(notes.at(-1)).toBe('skipped jest.config.js configures jest, but package.json does not depend on jest or jest-cli and it is not installed: a leftover, not a suite');
    // Declared, or installed: a suite.
    const declared = { ...files, 'package.json': pkg({ scripts: { test: 'node --test' }, devDependencies: { jest: '^29.0.0' } }) };
    expect(detectSuites(writeProject(declared)).suites.map((s) => s.format)).toEqual(['node-test', 'jest']);
    const installed = { ...files, 'node_modules/jest/package.json': pkg({ name: 'jest', version: '29.7.0' }) };
    expect(detectSuites(writeProject(installed)).suites.map((s) => s.format)).toEqual(['node-test', 'jest']);
  });
});
