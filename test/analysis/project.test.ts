import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisProject, forgetProject, MAX_FILE_BYTES, projectFor } from '../../src/analysis/project.js';
import { copyFixture, removeCopies } from './fixture.js';

afterAll(removeCopies);

describe('projectFor', () => {
  it('builds one project per root and keeps it until forgotten', () => {
    const root = copyFixture('context');
    const first = projectFor(root);
    expect(projectFor(root + '/')).toBe(first);
    forgetProject(root);
    expect(projectFor(root)).not.toBe(first);
  });

  it('loads the tsconfig.json of the root and adds the files it includes', () => {
    const root = copyFixture('context');
    const analysis = projectFor(root);
    expect(analysis.tsconfig).toBe(path.join(root, 'tsconfig.json'));
    expect(analysis.warnings).toEqual([]);
    const files = analysis.project.getSourceFiles().map((sf) => analysis.relative(sf.getFilePath()));
    expect(files.sort()).toEqual(['src/cart.ts', 'src/tax.ts']);
  });

  it('falls back to default options with a warning when tsconfig.json does not parse', () => {
    const root = copyFixture('broken-tsconfig');
    const analysis = projectFor(root);
    expect(analysis.warnings).toEqual([`${path.join(root, 'tsconfig.json')}: '}' expected. Using default compiler options.`]);
    expect(analysis.tsconfig).toBeUndefined();
    expect(analysis.compilerOptions.allowJs).toBe(true);
    expect(analysis.diagnosticsFor('src/a.ts')).toEqual([
      { file: 'src/a.ts', line: 1, column: 14, code: 2322, message: "Type 'string' is not assignable to type 'number'.", category: 'error' },
    ]);
  });

  it('keeps the options it could read when tsconfig.json extends a file that is missing', () => {
    const root = copyFixture('context');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ extends: '@tsconfig/missing/tsconfig.json', compilerOptions: { strict: true, outFile: 'all.js' } }));
    const analysis = new AnalysisProject(root);
    expect(analysis.warnings).toEqual([`${path.join(root, 'tsconfig.json')}: File '@tsconfig/missing/tsconfig.json' not found.`]);
    expect(analysis.compilerOptions.strict).toBe(true);
    expect(analysis.diagnosticsFor('src/cart.ts').map((d) => d.code)).toEqual([2322, 2345]);
  });

  it('loads a tsconfig with options TypeScript 6 deprecated without complaint', () => {
    const root = copyFixture('context');
    fs.writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', baseUrl: '.', strict: true }, include: ['src'] }),
    );
    const analysis = new AnalysisProject(root);
    expect(analysis.warnings).toEqual([]);
    expect(analysis.project.getProgram().compilerObject.getOptionsDiagnostics()).toEqual([]);
    expect(analysis.diagnosticsFor('src/tax.ts')).toEqual([]);
  });

  it('without a tsconfig.json, scans the root for sources outside node_modules and dist', () => {
    const root = copyFixture('plain-js');
    fs.mkdirSync(path.join(root, 'node_modules/dep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules/dep/index.js'), 'export const x = 1;\n');
    fs.mkdirSync(path.join(root, 'dist'));
    fs.writeFileSync(path.join(root, 'dist/greet.js'), 'export const y = 2;\n');
    const analysis = new AnalysisProject(root);
    const files = analysis.project.getSourceFiles().map((sf) => analysis.relative(sf.getFilePath()));
    expect(files.sort()).toEqual(['src/format.js', 'src/greet.js', 'src/path.js']);
    expect(analysis.tsconfig).toBeUndefined();
  });

  it('skips files over 1 MB and files that are not UTF-8, with a warning each', () => {
    const root = copyFixture('context');
    fs.writeFileSync(path.join(root, 'src/huge.ts'), `export const big = '${'x'.repeat(MAX_FILE_BYTES)}';\n`);
    fs.writeFileSync(path.join(root, 'src/latin1.ts'), Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]));
    const analysis = new AnalysisProject(root);
    expect(analysis.warnings.sort()).toEqual([
      `${path.join(root, 'src/huge.ts')}: larger than ${MAX_FILE_BYTES} bytes; skipped`,
      `${path.join(root, 'src/latin1.ts')}: not UTF-8; skipped`,
    ]);
    expect(analysis.sourceFile('src/huge.ts')).toBeUndefined();
    expect(analysis.diagnosticsFor('src/latin1.ts')).toEqual([]);
  });

  it('loads a file the tsconfig does not include when it is asked for', () => {
    const root = copyFixture('context');
    fs.mkdirSync(path.join(root, 'test'));
    fs.writeFileSync(path.join(root, 'test/cart.test.ts'), "import { Cart } from '../src/cart.js';\nconst n: string = new Cart().total();\n");
    const analysis = projectFor(root);
    expect(analysis.diagnosticsFor('test/cart.test.ts')).toEqual([
      { file: 'test/cart.test.ts', line: 2, column: 7, code: 2322, message: "Type 'number' is not assignable to type 'string'.", category: 'error' },
    ]);
    expect(analysis.sourceFile('../outside.ts')).toBeUndefined();
  });
});

describe('diagnosticsFor', () => {
  it('reports semantic errors with repository-relative paths and 1-based positions', () => {
    const root = copyFixture('context');
    expect(projectFor(root).diagnosticsFor('src/cart.ts')).toEqual([
      { file: 'src/cart.ts', line: 20, column: 11, code: 2322, message: "Type 'number' is not assignable to type 'string'.", category: 'error' },
      { file: 'src/cart.ts', line: 21, column: 18, code: 2345, message: "Argument of type 'string' is not assignable to parameter of type 'number'.", category: 'error' },
    ]);
  });

  it('reports only the syntax errors of a file that does not parse', () => {
    const root = copyFixture('syntax-error');
    const analysis = projectFor(root);
    // broken.ts also uses `join` without importing it: that error is not reported while the file does not parse.
    expect(analysis.diagnosticsFor('src/broken.ts')).toEqual([
      { file: 'src/broken.ts', line: 2, column: 27, code: 1005, message: "',' expected.", category: 'error' },
    ]);
    expect(analysis.rawDiagnostics('src/broken.ts')?.kind).toBe('syntactic');
  });

  it('reports the misspelled names TypeScript finds in unchecked JavaScript', () => {
    const root = copyFixture('plain-js');
    expect(projectFor(root).diagnosticsFor('src/greet.js')).toEqual([
      { file: 'src/greet.js', line: 6, column: 21, code: 2570, message: "Could not find name 'greetng'. Did you mean 'greeting'?", category: 'suggestion' },
    ]);
  });

  it('returns nothing for a file that does not exist', () => {
    const root = copyFixture('context');
    expect(projectFor(root).diagnosticsFor('src/missing.ts')).toEqual([]);
  });
});

describe('refresh', () => {
  it('re-reads the named files from disk', () => {
    const root = copyFixture('context');
    const analysis = projectFor(root);
    expect(analysis.diagnosticsFor('src/cart.ts')).toHaveLength(2);
    const file = path.join(root, 'src/cart.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('const gross: string', 'const gross: number'));
    analysis.refresh(['src/cart.ts']);
    expect(analysis.diagnosticsFor('src/cart.ts')).toEqual([]);
  });

  it('keeps a named file whose text did not change, and with it the type checker and what it found', () => {
    const root = copyFixture('context');
    const analysis = projectFor(root);
    const before = analysis.sourceFile('src/cart.ts');
    const checker = analysis.languageService.getProgram()!.getTypeChecker();
    analysis.refresh(['src/cart.ts']);
    expect(analysis.sourceFile('src/cart.ts')).toBe(before);
    expect(analysis.languageService.getProgram()!.getTypeChecker()).toBe(checker);
    fs.appendFileSync(path.join(root, 'src/cart.ts'), '\n');
    analysis.refresh(['src/cart.ts']);
    expect(analysis.sourceFile('src/cart.ts')).not.toBe(before);
  });

  it('without paths, re-reads the files whose size or time changed and drops deleted ones', () => {
    const root = copyFixture('context');
    const analysis = projectFor(root);
    expect(analysis.diagnosticsFor('src/cart.ts')).toHaveLength(2);
    fs.writeFileSync(path.join(root, 'src/tax.ts'), 'export const taxRate = 0.2;\nexport function round(value: string): string {\n  return value;\n}\n');
    analysis.refresh();
    expect(analysis.diagnosticsFor('src/cart.ts').map((d) => d.code)).toEqual([2322, 2322]);
    fs.rmSync(path.join(root, 'src/tax.ts'));
    analysis.refresh();
    expect(analysis.project.getSourceFile(path.join(root, 'src/tax.ts'))).toBeUndefined();
    expect(analysis.diagnosticsFor('src/cart.ts').map((d) => d.code)).toEqual([2307, 2322]);
  });
});
