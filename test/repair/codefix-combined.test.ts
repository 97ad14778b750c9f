import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { projectFor } from '../../src/analysis/project.js';
import type { Attempt, Candidate, Problem } from '../../src/model.js';
import { CodefixProvider } from '../../src/repair/codefix.js';
import { combinedIdOf, errorsLeft } from '../../src/repair/codefix-combined.js';
import { rootCauseOf, subjectOf, type CombinedSite, type FoundFix } from '../../src/repair/codefix-describe.js';
import type { ProposeContext } from '../../src/repair/types.js';
import { copyFixture, removeCopies } from '../analysis/fixture.js';
import { problemAt, proposeAll, read } from './fixture.js';

afterAll(removeCopies);

const propose = (root: string, problem: Problem, options: Partial<ProposeContext> = {}): Promise<Candidate[]> =>
  proposeAll(new CodefixProvider(), root, problem, options);

function attempt(candidateId: string): Attempt {
  return { problemId: 'problem-1', candidateId, provider: 'codefix', title: 't', outcome: 'rejected', diff: '' };
}

const JOIN_MISSING = problemAt({ file: 'src/greet.ts', line: 4, column: 16 }, 'ReferenceError: join is not defined');

describe('CodefixProvider: combined fixes across a file', () => {
  it('imports every missing name of the file first, then only the one at the location', async () => {
    const root = copyFixture('combined-import');
    const before = read(root, 'src/greet.ts');
    const candidates = await propose(root, JOIN_MISSING);
    expect(candidates.map((c) => [c.title, c.commit?.subject, c.rootCause])).toEqual([
      [
        'Add all missing imports',
        'import missing join and resolve in greet(), farewell() and home()',
        '`join` and `resolve` are used in src/greet.ts:4, 8 and 12 but never imported',
      ],
      ['Add import from "./path.js"', 'import missing join in greet()', '`join` is used in src/greet.ts:4 but never imported'],
    ]);
    expect(candidates.map((c) => c.patch.changes)).toEqual([
      [
        {
          path: 'src/greet.ts',
          before,
          after: before.replace("import { shout } from './format.js';\n", "import { shout } from './format.js';\nimport { join, resolve } from './path.js';\n"),
        },
      ],
      [{ path: 'src/greet.ts', before, after: before.replace("import { shout } from './format.js';\n", "import { shout } from './format.js';\nimport { join } from './path.js';\n") }],
    ]);
    expect(candidates[0].rationale).toBe(
      "TS2304 at src/greet.ts:4:16: Cannot find name 'join'.\n" +
        'The TypeScript language service offers the code fix "Add import from "./path.js"" (import); ' +
        'its combined fix "Add all missing imports" (fixMissingImport) applies it across src/greet.ts, to 4 errors (lines 4, 8, 12). ' +
        'It leaves 0 errors in the file, the single fix 1.',
    );
    expect(candidates[0].id).toMatch(/^codefix-[0-9a-f]{12}$/);
    expect(candidates[0].id).not.toBe(candidates[1].id);
    // Proposing reads the disk and restores the project to it after checking what each fix leaves.
    expect(read(root, 'src/greet.ts')).toBe(before);
    expect(projectFor(root).sourceFile('src/greet.ts')?.getFullText()).toBe(before);
  });

  it('awaits every initializer of the now-async call before awaiting one', async () => {
    const root = copyFixture('combined-await');
    const before = read(root, 'src/report.ts');
    const candidates = await propose(root, problemAt({ file: 'src/report.ts', line: 5 }, "AssertionError: expected undefined to be 'user1'"));
    expect(candidates.map((c) => [c.title, c.commit?.subject, c.patch.changes[0].after])).toEqual([
      [
        "Fix all expressions possibly missing 'await'",
        'add missing awaits in nameOf(), emailOf() and line()',
        before.replaceAll('const user = loadUser(id);', 'const user = await loadUser(id);'),
      ],
      ["Add 'await' to initializer for 'user'", 'await initializer of user in nameOf()', before.replace('const user = loadUser(id);', 'const user = await loadUser(id);')],
      ["Add 'await'", 'await name in nameOf()', before.replace('return user.name;', 'return (await user).name;')],
    ]);
    expect(candidates[0].rootCause).toBe('Promises are used without `await` in src/report.ts:5, 10 and 15 (nameOf(), emailOf() and line())');
    expect(candidates[0].rationale).toContain('its combined fix "Fix all expressions possibly missing \'await\'" (addMissingAwait) applies it across src/report.ts, to 4 errors (lines 5, 10, 15). It leaves 0 errors in the file, the single fix 3.');
  });

  it("awaits no single use of a variable whose Promise breaks more than one use, nor every use of it", async () => {
    // `const order = load(id)` then `order.transition(...)` and `save(id, order)`: an await at one use
    // leaves the other broken, and an await at each use leaves `order` a Promise. Awaiting the
    // initializer is the fix (the rules provider's); codefix offers nothing here.
    const root = copyFixture('promised-variable');
    const candidates = await propose(root, problemAt({ file: 'src/orders.ts', line: 21 }, 'TypeError: order.transition is not a function'));
    expect(candidates.map((c) => c.title)).toEqual([]);
  });

  it('makes every function that uses await async', async () => {
    const root = copyFixture('combined-await');
    const before = read(root, 'src/sync.ts');
    const candidates = await propose(root, problemAt({ file: 'src/sync.ts', line: 4 }, 'SyntaxError: await is only valid in async functions and the top level bodies of modules'));
    expect(candidates.map((c) => [c.title, c.commit?.subject, c.rootCause, c.patch.changes[0].after])).toEqual([
      [
        "Add all missing 'async' modifiers",
        'make first() and second() async',
        '`await` is used in src/sync.ts:4 and 9 in first() and second(), which are not `async`',
        before.replaceAll(/export function (\w+)\(\): string/g, 'export async function $1(): Promise<string>'),
      ],
      [
        'Add async modifier to containing function',
        'make first() async',
        '`await` is used in src/sync.ts:4 in first(), which is not `async`',
        before.replace('export function first(): string', 'export async function first(): Promise<string>'),
      ],
    ]);
  });

  it('corrects a repeated misspelling everywhere, and leaves other misspellings alone', async () => {
    const root = copyFixture('combined-spelling');
    const before = read(root, 'src/server.ts');
    const candidates = await propose(root, problemAt({ file: 'src/server.ts', line: 6 }, 'ReferenceError: defaultPrt is not defined'));
    expect(candidates.map((c) => [c.title, c.commit?.subject, c.rootCause, c.patch.changes[0].after])).toEqual([
      [
        "Change spelling to 'defaultPort' at all 3 uses of 'defaultPrt'",
        'fix 3 misspelled defaultPrt in port(), url() and describe()',
        '`defaultPrt` in src/server.ts:6, 10 and 14 is a misspelling of `defaultPort`',
        before.replaceAll('defaultPrt', 'defaultPort'),
      ],
      [
        "Change spelling to 'defaultPort'",
        'fix misspelled defaultPrt in port()',
        '`defaultPrt` in src/server.ts:6 is a misspelling of `defaultPort`',
        before.replace('fromEnv : defaultPrt', 'fromEnv : defaultPort'),
      ],
    ]);
    expect(candidates[0].patch.changes[0].after).toContain('${hostnme}');
  });

  it('offers no combined fix for a misspelling that occurs once, and keeps each combined fix next to its single fix', async () => {
    const root = copyFixture('combined-spelling');
    const candidates = await propose(root, problemAt({ file: 'src/server.ts', line: 10 }, 'ReferenceError: hostnme is not defined'));
    expect(candidates.map((c) => c.title)).toEqual([
      "Change spelling to 'hostname'",
      "Change spelling to 'defaultPort' at all 3 uses of 'defaultPrt'",
      "Change spelling to 'defaultPort'",
    ]);
  });

  it('offers no combined fix where the file holds one error of the kind: it would equal the single fix', async () => {
    const root = copyFixture('missing-import');
    const candidates = await propose(root, problemAt({ file: 'src/greet.ts', line: 7 }, 'ReferenceError: join is not defined'));
    expect(candidates.map((c) => c.title)).toEqual(['Add import from "./path.js"']);
  });

  it('offers no combined fix whose edit equals the single fix', async () => {
    const root = copyFixture('combined-import');
    const file = path.join(root, 'src/greet.ts');
    // join is missing in three functions, nothing else: importing it once mends all three.
    fs.writeFileSync(file, read(root, 'src/greet.ts').replace("resolve(join('home', user))", "join('home', user)"));
    const candidates = await propose(root, JOIN_MISSING);
    expect(candidates.map((c) => [c.title, c.commit?.subject])).toEqual([['Add import from "./path.js"', 'import missing join in greet()']]);
  });

  it('offers no combined fix that leaves as many errors as the single fix', async () => {
    const root = copyFixture('combined-await');
    // Making second() async too mends its await but breaks `second().length` in size().
    const candidates = await propose(root, problemAt({ file: 'src/chain.ts', line: 4 }, 'SyntaxError: await is only valid in async functions and the top level bodies of modules'));
    expect(candidates.map((c) => c.title)).toEqual(['Add async modifier to containing function']);
  });

  it('proposes nothing, combined or single, for a file that does not parse', async () => {
    const root = copyFixture('combined-import');
    fs.appendFileSync(path.join(root, 'src/greet.ts'), '\nexport const broken = [1, 2;\n');
    expect(await propose(root, JOIN_MISSING)).toEqual([]);
  });

  it('never edits a protected path with a combined fix', async () => {
    const root = copyFixture('combined-import');
    expect(await propose(root, JOIN_MISSING, { protect: ['src/greet.ts'] })).toEqual([]);
  });

  it('does not offer again a combined fix that history tried, and keeps its id from run to run', async () => {
    const root = copyFixture('combined-import');
    const first = await propose(root, JOIN_MISSING);
    const again = await propose(root, JOIN_MISSING);
    expect(again.map((c) => c.id)).toEqual(first.map((c) => c.id));
    const rest = await propose(root, JOIN_MISSING, { history: [attempt(first[0].id)] });
    expect(rest.map((c) => c.title)).toEqual(['Add import from "./path.js"']);
    expect(await propose(root, JOIN_MISSING, { history: first.map((c) => attempt(c.id)) })).toEqual([]);
  });
});

describe('combinedIdOf', () => {
  const fix = (fixName: string, fixId?: string): ts.CodeFixAction => ({ fixName, fixId, description: 'd', changes: [] });

  it('looks the id up by fix name, also for fixes the language service sends without one', () => {
    expect(combinedIdOf(fix('import', 'fixMissingImport'))).toBe('fixMissingImport');
    expect(combinedIdOf(fix('import'))).toBe('fixMissingImport');
    expect(combinedIdOf(fix('addMissingAwaitToInitializer'))).toBe('addMissingAwait');
    expect(combinedIdOf(fix('spelling', 'fixSpelling'))).toBe('fixSpelling');
  });

  it('never combines stubs or fixes whose id does not match the table', () => {
    expect(combinedIdOf(fix('fixMissingFunctionDeclaration', 'fixMissingFunctionDeclaration'))).toBeUndefined();
    expect(combinedIdOf(fix('fixMissingMember', 'fixMissingMember'))).toBeUndefined();
    expect(combinedIdOf(fix('import', 'somethingElse'))).toBeUndefined();
  });
});

describe('errorsLeft', () => {
  it('counts the errors a text leaves, undefined when it does not parse, and restores the file', () => {
    const root = copyFixture('combined-import');
    const analysis = projectFor(root);
    const before = read(root, 'src/greet.ts');
    const imported = `import { join, resolve } from './path.js';\n${before}`;
    expect(errorsLeft(analysis, 'src/greet.ts', before, [before, imported, `${before}\nconst x = [;\n`, before])).toEqual([4, 0, undefined, 4]);
    expect(analysis.sourceFile('src/greet.ts')?.getFullText()).toBe(before);
    expect(analysis.diagnosticsFor('src/greet.ts')).toHaveLength(4);
  });
});

describe('subjectOf and rootCauseOf for combined fixes', () => {
  function combined(fixName: string, sites: Partial<CombinedSite>[], singleDescription = 'Add import from "./path.js"'): FoundFix {
    const full = sites.map((s, i) => ({ code: 2304, start: i * 10, line: i + 1, spanText: 'x', ...s }));
    return {
      fix: { fixName, description: 'Add all missing imports', changes: [] },
      code: 2304,
      message: "Cannot find name 'x'.",
      file: 'src/greet.ts',
      line: 1,
      column: 1,
      spanText: full[0].spanText,
      enclosing: full[0].enclosing,
      combined: { fixId: 'fixMissingImport', singleDescription, sites: full },
    };
  }
  const inFn = (name: string) => ({ enclosing: { name, callable: true } });

  it('names the functions when there are at most three, and the file when the errors are spread wider', () => {
    const two = combined('import', [{ spanText: 'join', ...inFn('greet') }, { spanText: 'split', ...inFn('greet') }]);
    expect(subjectOf(two)).toBe('import missing join and split in greet()');
    expect(rootCauseOf(two)).toBe('`join` and `split` are used in src/greet.ts:1 and 2 but never imported');
    const four = combined('import', ['a', 'b', 'c', 'd'].map((name) => ({ spanText: name, ...inFn(`f${name}`) })));
    expect(subjectOf(four)).toBe('import missing a, b, c and d across greet.ts');
    const anonymous = combined('import', [{ spanText: 'join' }, { spanText: 'join', ...inFn('greet') }]);
    expect(subjectOf(anonymous)).toBe('import missing join across greet.ts');
  });

  it('counts the names rather than exceed 72 characters', () => {
    const long = combined('import', ['alphaBetaGamma', 'deltaEpsilonZeta', 'etaThetaIota', 'kappaLambdaMu'].map((spanText) => ({ spanText })));
    expect(subjectOf(long)).toBe('import 4 missing names across greet.ts');
  });
});
