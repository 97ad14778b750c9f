import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RulesProvider } from '../../src/repair/index.js';
import { undefinedReads } from '../../src/repair/rules-hoist.js';
import { isNear, missingNames } from '../../src/repair/rules-import.js';
import { copyCase, problemAt, proposeAll, read, removeCases } from './fixture.js';

afterAll(removeCases);

async function afterFix(group: string, file: string, line: number, message: string, testFile = 'test/a.test.ts') {
  const root = copyCase('rules', group);
  const candidates = await proposeAll(new RulesProvider(), root, problemAt({ file, line }, message, { testFiles: [testFile] }));
  return { root, candidates, texts: candidates.map((c) => Object.fromEntries(c.patch.changes.map((ch) => [ch.path, ch.after]))) };
}

describe('RulesProvider: use before declaration', () => {
  it("takes the compiler's words too (a package's pretest type-checks its bundle: TS2448 located at the source line the bundle copied)", async () => {
    const message = "dist/esm/index.js(3,18): error TS2448: Block-scoped variable 'PORT' used before its declaration.";
    const { texts } = await afterFix('tdz', 'src/config.ts', 2, message);
    const runtime = await afterFix('tdz', 'src/config.ts', 2, "ReferenceError: Cannot access 'PORT' before initialization");
    expect(texts).toEqual(runtime.texts);
    expect(texts).toHaveLength(1);
  });

  it('moves a module-level declaration, with its comment, above the statement that runs first', async () => {
    const { candidates, texts } = await afterFix('tdz', 'src/config.ts', 2, "ReferenceError: Cannot access 'PORT' before initialization");
    expect(texts).toEqual([
      {
        'src/config.ts': `/** The port the server listens on. */
const PORT = 8080;
// Defaults for the app.
export const DEFAULTS = { port: PORT, host: 'localhost' };

export function url(): string {
  return \`http://\${DEFAULTS.host}:\${DEFAULTS.port}\`;
}
`,
      },
    ]);
    expect(candidates[0].provider).toBe('rules');
    expect(candidates[0].commit).toEqual({ type: 'fix', subject: 'declare PORT before its first use' });
    expect(candidates[0].rootCause).toBe("`PORT` (src/config.ts:5) is declared below `export const DEFAULTS = { port: PORT, host: 'localhost' };`, which runs first");
  });

  it('moves a declaration inside a function body', async () => {
    const { candidates, texts } = await afterFix('tdz-function', 'src/area.ts', 2, "ReferenceError: Cannot access 'PI_ISH' before initialization");
    expect(texts).toEqual([
      { 'src/area.ts': 'export function area(radius: number): number {\n  const PI_ISH = 3.14;\n  const result = PI_ISH * radius * radius;\n  return result;\n}\n' },
    ]);
    expect(candidates[0].commit?.subject).toBe('declare PI_ISH before its first use in area()');
  });

  it('does not move a declaration whose initializer uses what it would jump over', async () => {
    const { candidates } = await afterFix('tdz-unsafe', 'src/cycle.ts', 1, "ReferenceError: Cannot access 'B' before initialization");
    expect(candidates).toEqual([]);
  });
});

describe('RulesProvider: a var read before its declaration', () => {
  // What node prints when a module reads a hoisted `var` that is still undefined.
  async function hoisted(group: string, file: string, line: number, property: string) {
    const message = `TypeError: Cannot read properties of undefined (reading '${property}')`;
    const root = copyCase('rules', group);
    const stack = `${message}\n    at Object.<anonymous> (${path.join(root, file)}:${line}:23)\n    at Module._compile (node:internal/modules/cjs/loader:1521:14)`;
    const problem = problemAt({ file, line }, message, { kind: 'type', failures: [{ message, stack, location: { file, line } }] });
    const candidates = await proposeAll(new RulesProvider(), root, problem);
    return { root, candidates };
  }
  const nodeTest = (root: string) => spawnSync(process.execPath, ['--test', 'test/'], { cwd: root, encoding: 'utf8' });

  it("moves a `var … = require(…)`, with its comment, up to the module's first require: node's tests fail before and pass after", async () => {
    const { root, candidates } = await hoisted('hoist', 'lib/index.js', 11, 'json');
    expect(nodeTest(root).status).toBe(1);
    expect(candidates.map((c) => c.patch.changes.map((ch) => ch.path))).toEqual([['lib/index.js']]);
    // What the module looked like before the fault moved the declaration (the bench's shape on express).
    const clean = `'use strict';

/**
 * Module dependencies.
 */

var format = require('./format');
var EventEmitter = require('node:events').EventEmitter;

exports.Emitter = EventEmitter;

/**
 * Expose the formatters.
 */

exports.json = format.json;
exports.text = format.text;
`;
    expect(candidates[0].patch.changes[0].after).toBe(clean);
    expect(candidates[0].title).toBe('Move the declaration of format above line 3 of lib/index.js');
    expect(candidates[0].commit).toEqual({ type: 'fix', subject: 'declare format before its first use' });
    expect(candidates[0].rootCause).toBe('`format` (lib/index.js:16) is a `var` declared below `exports.json = format.json;`, which reads its `json` while it is still undefined');
    fs.writeFileSync(path.join(root, 'lib/index.js'), clean);
    expect(nodeTest(root).status).toBe(0);
  });

  it('does not move a `var` whose initializer is a call other than require (its moment may matter)', async () => {
    const { candidates } = await hoisted('hoist-unsafe', 'lib/index.js', 5, 'json');
    expect(candidates).toEqual([]);
  });

  it('does not move a `var` the module assigns again', async () => {
    const { candidates } = await hoisted('hoist-unsafe', 'lib/reassigned.js', 3, 'level');
    expect(candidates).toEqual([]);
  });

  it('reads the property from both forms of the message', () => {
    expect(undefinedReads("TypeError: Cannot read properties of undefined (reading 'json')\nTypeError: Cannot read property 'raw' of undefined")).toEqual(['json', 'raw']);
  });
});

describe('RulesProvider: missing imports and exports', () => {
  it('imports a name from the module that exports it, in the file\'s import style', async () => {
    const { root, candidates, texts } = await afterFix('missing-import', 'src/area.ts', 4, 'ReferenceError: square is not defined');
    expect(texts).toEqual([{ 'src/area.ts': read(root, 'src/area.ts').replace("./constants.js';\n", "./constants.js';\nimport { square } from './geometry/math.js';\n") }]);
    expect(candidates[0].commit?.subject).toBe('import missing square');
  });

  it('exports a function the test imports but the module only declares', async () => {
    const { root, texts } = await afterFix('not-exported', 'test/shapes.test.ts', 6, 'TypeError: __vi_import_0__.perimeter is not a function', 'test/shapes.test.ts');
    expect(texts).toEqual([{ 'src/shapes.ts': read(root, 'src/shapes.ts').replace('function perimeter', 'export function perimeter') }]);
  });

  it('renames a near-identical export to the name a protected test imports', async () => {
    const { candidates, texts } = await afterFix('near-name', 'test/units.test.ts', 5, 'TypeError: __vi_import_0__.toMetres is not a function', 'test/units.test.ts');
    expect(texts).toEqual([{ 'src/units.ts': 'export function toMetres(feet: number): number {\n  return feet * 0.3048;\n}\n' }]);
    expect(candidates[0].commit?.subject).toBe('rename toMeters to toMetres');
  });

  it('corrects the name in an importer that is not protected', async () => {
    const { root, texts } = await afterFix('near-name', 'src/report.ts', 4, 'TypeError: __vi_import_0__.toMetres is not a function');
    expect(texts).toEqual([{ 'src/report.ts': read(root, 'src/report.ts').replaceAll('toMetres', 'toMeters') }]);
  });

  it('corrects a name one letter away from a binding in scope when nothing exports it', async () => {
    const { candidates, texts } = await afterFix('misspelled-param', 'src/shift.ts', 2, 'ReferenceError: frpm is not defined');
    expect(texts).toEqual([{ 'src/shift.ts': 'export function shift(from: number, by: number): number {\n  return from + by;\n}\n' }]);
    expect(candidates[0].commit?.subject).toBe('fix misspelled frpm');
    expect(candidates[0].rootCause).toBe('`frpm` in src/shift.ts:2 is a misspelling of `from`');
  });

  it('corrects a name one letter away from an imported function, and not to a type-only import', async () => {
    const { root, candidates, texts } = await afterFix('misspelled-import', 'src/report.ts', 4, 'ReferenceError: coee is not defined');
    expect(texts).toEqual([{ 'src/report.ts': read(root, 'src/report.ts').replace('coee(', 'code(') }]);
    expect(candidates.map((c) => c.title)).toEqual(['Change spelling of coee to code in src/report.ts']);
  });

  it('awaits the initializer of a value that is also a Promise (simple-git style), where the language service offers nothing', async () => {
    const { root, candidates, texts } = await afterFix('thenable', 'src/root.ts', 12, 'TypeError: path.trim is not a function');
    expect(candidates.map((c) => c.title)).toEqual(['Await the initializer of top at src/root.ts:11']);
    expect(texts).toEqual([{ 'src/root.ts': read(root, 'src/root.ts').replace('const top = client', 'const top = await client') }]);
  });

  it('offers nothing for a name no module of the repository exports', async () => {
    const { candidates } = await afterFix('missing-import', 'src/area.ts', 4, 'ReferenceError: cube is not defined');
    expect(candidates).toEqual([]);
  });

  it('reads missing names from runtime messages', () => {
    expect(missingNames('ReferenceError: join is not defined\nTypeError: obj.run is not a function\nTypeError: (0 , __vi_import_1__.load) is not a function')).toEqual(['join', 'load']);
    expect(missingNames("SyntaxError: The requested module './a.js' does not provide an export named 'b'")).toEqual(['b']);
    expect([isNear('toMeters', 'toMetres'), isNear('parse', 'Parse'), isNear('load', 'lead'), isNear('save', 'saveAll')]).toEqual([true, true, true, false]);
  });
});

describe('RulesProvider: async', () => {
  const AWAIT_MESSAGE = 'SyntaxError: await is only valid in async functions and the top level bodies of modules';

  it('makes the function around the await async', async () => {
    const { root, candidates, texts } = await afterFix('await', 'src/load.ts', 4, AWAIT_MESSAGE);
    expect(texts).toEqual([{ 'src/load.ts': read(root, 'src/load.ts').replace('export function total', 'export async function total') }]);
    expect(candidates[0].commit?.subject).toBe('make total() async');
  });

  it('makes a method async', async () => {
    const { root, texts } = await afterFix('await', 'src/load.ts', 13, AWAIT_MESSAGE);
    expect(texts).toEqual([{ 'src/load.ts': read(root, 'src/load.ts').replace('  text(): string', '  async text(): string') }]);
  });

  it('awaits the initializer of a variable whose uses treat its Promise as the value', async () => {
    const { root, candidates, texts } = await afterFix('unawaited', 'src/accounts.ts', 12, 'TypeError: account.close is not a function');
    expect(texts[0]).toEqual({ 'src/accounts.ts': read(root, 'src/accounts.ts').replace('= load(id)', '= await load(id)') });
    expect(candidates[0].title).toBe('Await the initializer of account at src/accounts.ts:11');
    expect(candidates[0].commit?.subject).toBe('await initializer of account in closeAccount()');
  });

  it('awaits a Promise in a module the failing test imports, found by its type error', async () => {
    const { root, candidates, texts } = await afterFix('missing-await', 'test/api.test.ts', 5, "AssertionError: expected 'hello undefined' to be 'hello user1'", 'test/api.test.ts');
    expect(texts).toEqual([{ 'src/api.ts': read(root, 'src/api.ts').replace('= fetchUser(id)', '= await fetchUser(id)') }]);
    expect(candidates[0].provider).toBe('rules');
    expect(candidates[0].commit?.subject).toBe('await initializer of user in greeting()');
  });

  it('offers nothing for an await message without an await near the location', async () => {
    const { candidates } = await afterFix('await', 'src/load.ts', 20, AWAIT_MESSAGE);
    expect(candidates).toEqual([]);
  });
});
