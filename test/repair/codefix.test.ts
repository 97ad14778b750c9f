import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Attempt, Candidate, Problem, SourceLocation } from '../../src/model.js';
import { DEFAULT_PROTECT } from '../../src/policy/schema.js';
import { CodefixProvider, defaultProviders } from '../../src/repair/index.js';
import type { ProposeContext } from '../../src/repair/types.js';
import { copyFixture, removeCopies } from '../analysis/fixture.js';

afterAll(removeCopies);

function problemAt(location: SourceLocation, message = 'ReferenceError: join is not defined', failureLocations: SourceLocation[] = []): Problem {
  return {
    id: 'problem-1',
    kind: 'reference',
    title: `${message} at ${location.file}:${location.line}`,
    message,
    location,
    testIds: ['unit::test/a.test.ts::a'],
    loadFailedFiles: [],
    testFiles: ['test/a.test.ts'],
    failures: [{ message, location }, ...failureLocations.map((loc) => ({ message, location: loc }))],
  };
}

async function propose(root: string, problem: Problem, options: Partial<ProposeContext> = {}): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for await (const candidate of new CodefixProvider().propose(problem, { root, protect: DEFAULT_PROTECT, history: [], ...options })) {
    candidates.push(candidate);
  }
  return candidates;
}

function read(root: string, file: string): string {
  return fs.readFileSync(path.join(root, file), 'utf8');
}

function attempt(candidateId: string): Attempt {
  return { problemId: 'problem-1', candidateId, provider: 'codefix', title: 't', outcome: 'rejected', diff: '' };
}

const GREET_AFTER = `import { shout } from './format.js';
import { join } from './path.js';

export class Greeter {
    constructor(private readonly prefix: string) {}

    greet(name: string): string {
        return shout(join(this.prefix, name));
    }
}

export function greet(name: string): string {
    return new Greeter('hello').greet(name);
}
`;

describe('CodefixProvider', () => {
  it("fixes a compiler error that only the package's bundle reports: renames the misnamed JSDoc @param tag, never deletes it", async () => {
    const root = copyFixture('jsdoc-bundle');
    const before = read(root, 'src/severity.js');
    const message = "dist/esm/index.js(37,26): error TS8024: JSDoc '@param' tag has name 'rulesDonfig', but there is no parameter with that name.";
    const candidates = await propose(root, { ...problemAt({ file: 'src/severity.js', line: 5 }, message), kind: 'type' });
    expect(candidates.map((c) => [c.title, c.patch.changes.map((ch) => [ch.path, ch.after])])).toEqual([
      ["Rename '@param' tag name 'rulesDonfig' to 'rulesConfig'", [['src/severity.js', before.replace('{Object} rulesDonfig', '{Object} rulesConfig')]]],
    ]);
  });

  it('adds the missing import in the style of the project: NodeNext ".js", single quotes, semicolons', async () => {
    const root = copyFixture('missing-import');
    const [candidate, ...others] = await propose(root, problemAt({ file: 'src/greet.ts', line: 7, column: 22 }));
    expect(others).toEqual([]);
    expect(candidate).toEqual({
      id: expect.stringMatching(/^codefix-[0-9a-f]{12}$/),
      problemId: 'problem-1',
      provider: 'codefix',
      title: 'Add import from "./path.js"',
      rationale:
        "TS2304 at src/greet.ts:7:22: Cannot find name 'join'.\n" +
        'The TypeScript language service offers the code fix "Add import from "./path.js"" (import).',
      rootCause: '`join` is used in src/greet.ts:7 but never imported',
      patch: { changes: [{ path: 'src/greet.ts', before: read(root, 'src/greet.ts'), after: GREET_AFTER }] },
      commit: { type: 'fix', subject: 'import missing join in Greeter.greet()' },
    });
  });

  it('writes an extensionless, double-quoted import without semicolon where the file does', async () => {
    const root = copyFixture('minimal-style');
    const candidates = await propose(root, problemAt({ file: 'src/greet.ts', line: 4 }));
    expect(candidates.map((c) => c.patch.changes[0].after)).toEqual([
      'import {shout} from "./format"\nimport {join} from "./path"\n\nexport function greet(name: string): string {\n\tconst greeting = join("hello", name)\n\treturn shout(greeting)\n}\n',
    ]);
    expect(candidates[0].title).toBe('Add import from "./path"');
  });

  it('corrects a misspelled identifier to the name TypeScript suggests', async () => {
    const root = copyFixture('misspelled');
    const candidates = await propose(root, problemAt({ file: 'src/config.ts', line: 5 }, 'ReferenceError: defaultPrt is not defined'));
    expect(candidates.map((c) => [c.title, c.rootCause, c.commit?.subject])).toEqual([
      ["Change spelling to 'defaultPort'", '`defaultPrt` in src/config.ts:5 is a misspelling of `defaultPort`', 'fix misspelled defaultPrt in port()'],
    ]);
    expect(candidates[0].patch.changes[0].after).toBe(read(root, 'src/config.ts').replace('fromEnv : defaultPrt', 'fromEnv : defaultPort'));
  });

  it('does not declare a misspelled assignment target (`opus = …` with `opts` in scope) as a new variable', async () => {
    const root = copyFixture('misspelled-assignment');
    const candidates = await propose(root, problemAt({ file: 'src/protocol.ts', line: 8 }, 'ReferenceError: opus is not defined'));
    expect(candidates.map((c) => c.title)).not.toContain("Add 'const' to unresolved variable");
    expect(candidates.every((c) => !(c.patch.changes[0].after ?? '').includes('const opus'))).toBe(true);
  });

  it('offers to await a Promise used as a number, at its initializer first', async () => {
    const root = copyFixture('async');
    const before = read(root, 'src/count.ts');
    const candidates = await propose(root, problemAt({ file: 'src/count.ts', line: 7 }, 'AssertionError: expected NaN to be 42'));
    expect(candidates.map((c) => [c.title, c.commit?.subject, c.patch.changes[0].after])).toEqual([
      ["Add 'await' to initializer for 'count'", 'await initializer of count in doubled()', before.replace('const count = fetchCount();', 'const count = await fetchCount();')],
      ["Add 'await'", 'await count in doubled()', before.replace('return count * 2;', 'return await count * 2;')],
    ]);
    expect(candidates[0].rootCause).toBe('`count` in src/count.ts:7 holds a Promise: its initializer is not awaited');
  });

  it('makes a function that uses await async', async () => {
    const root = copyFixture('async');
    const before = read(root, 'src/count.ts');
    const candidates = await propose(root, problemAt({ file: 'src/count.ts', line: 11 }, 'SyntaxError: await is only valid in async functions'));
    expect(candidates.map((c) => [c.title, c.rootCause, c.commit?.subject, c.patch.changes[0].after])).toEqual([
      [
        'Add async modifier to containing function',
        '`await` is used in src/count.ts:11 in total(), which is not `async`',
        'make total() async',
        before.replace('export function total(): number {', 'export async function total(): Promise<number> {'),
      ],
    ]);
  });

  it('proposes nothing for a file with a syntax error, though its semantic errors have fixes', async () => {
    const root = copyFixture('syntax-error');
    expect(await propose(root, problemAt({ file: 'src/broken.ts', line: 3 }))).toEqual([]);
  });

  it('ranks adding an import before correcting a spelling when both are offered', async () => {
    const root = copyFixture('import-or-spelling');
    const candidates = await propose(root, problemAt({ file: 'src/greet.ts', line: 4 }, 'TypeError: greet failed'));
    expect(candidates.map((c) => c.title)).toEqual(['Add import from "./path.js"', "Change spelling to 'greeting'"]);
    expect(candidates[0].patch.changes[0].after).toBe(`import { join } from './path.js';\n\n${read(root, 'src/greet.ts')}`);
  });

  it('ranks first the fix of the name the runtime error quotes', async () => {
    const root = copyFixture('import-or-spelling');
    const candidates = await propose(root, problemAt({ file: 'src/greet.ts', line: 4 }, 'ReferenceError: greetng is not defined'));
    expect(candidates.map((c) => c.title)).toEqual(["Change spelling to 'greeting'", 'Add import from "./path.js"']);
  });

  it('skips fixes that would edit a protected path', async () => {
    const root = copyFixture('missing-import');
    const problem = problemAt({ file: 'src/greet.ts', line: 7 });
    expect(await propose(root, problem, { protect: ['src/greet.ts'] })).toEqual([]);
    expect(await propose(root, problem, { protect: ['**/*.ts'] })).toEqual([]);
    expect(await propose(root, problem, { protect: [] })).toHaveLength(1);
  });

  it('looks at the other failure locations when the problem sits in a protected test file', async () => {
    const root = copyFixture('missing-import');
    const problem = problemAt({ file: 'test/greet.test.ts', line: 4 }, 'ReferenceError: join is not defined', [{ file: 'src/greet.ts', line: 7 }]);
    const candidates = await propose(root, problem);
    expect(candidates.map((c) => [c.title, c.patch.changes.map((ch) => ch.path)])).toEqual([['Add import from "./path.js"', ['src/greet.ts']]]);
  });

  it('keeps a fix found in a protected test file when it edits only the source', async () => {
    const root = copyFixture('private-export');
    const problem = problemAt({ file: 'test/math.test.ts', line: 1 }, "SyntaxError: The requested module '../src/math.js' does not provide an export named 'square'");
    const candidates = await propose(root, problem);
    expect(candidates.map((c) => [c.title, c.commit?.subject])).toEqual([["Export 'square' from module '../src/math.js'", 'export square from module ../src/math.js']]);
    expect(candidates[0].patch.changes).toEqual([
      { path: 'src/math.ts', before: read(root, 'src/math.ts'), after: `export ${read(root, 'src/math.ts')}` },
    ]);
  });

  it('gives the same edit the same id and does not offer again what history tried', async () => {
    const root = copyFixture('import-or-spelling');
    const problem = problemAt({ file: 'src/greet.ts', line: 4 });
    const first = await propose(root, problem);
    const again = await propose(root, problem);
    expect(again.map((c) => c.id)).toEqual(first.map((c) => c.id));
    const rest = await propose(root, problem, { history: [attempt(first[0].id)] });
    expect(rest.map((c) => c.title)).toEqual(["Change spelling to 'greeting'"]);
    expect(await propose(root, problem, { history: first.map((c) => attempt(c.id)) })).toEqual([]);
  });

  it('finds the import a ReferenceError names in JavaScript that TypeScript does not check', async () => {
    const root = copyFixture('plain-js');
    const candidates = await propose(root, problemAt({ file: 'src/greet.js', line: 6 }));
    expect(candidates.map((c) => [c.title, c.commit?.subject])).toEqual([
      ['Add import from "./path.js"', 'import missing join in greet()'],
      ["Change spelling to 'greeting'", 'fix misspelled greetng in greet()'],
    ]);
    expect(candidates[0].patch.changes[0].after).toBe(
      read(root, 'src/greet.js').replace("import { shout } from './format.js';\n", "import { shout } from './format.js';\nimport { join } from './path.js';\n"),
    );
  });

  it('indents a declared member like the file and never offers stubs that throw or index signatures', async () => {
    const root = copyFixture('missing-member');
    const before = read(root, 'src/counter.ts');
    const candidates = await propose(root, problemAt({ file: 'src/counter.ts', line: 4 }, 'TypeError: this.log is not a function'));
    expect(candidates.map((c) => c.title)).toEqual(["Declare property 'log'", "Declare property 'count'"]);
    expect(candidates[0].patch.changes[0].after).toBe(before.replace('export class Counter {\n', 'export class Counter {\n  log: any;\n'));
  });

  it('proposes nothing without a source location inside the repository, or once aborted', async () => {
    const root = copyFixture('missing-import');
    expect(await propose(root, { ...problemAt({ file: 'src/greet.ts', line: 7 }), location: undefined })).toEqual([]);
    expect(await propose(root, problemAt({ file: 'README.md', line: 1 }))).toEqual([]);
    expect(await propose(root, problemAt({ file: '../elsewhere/greet.ts', line: 7 }))).toEqual([]);
    expect(await propose(root, problemAt({ file: 'src/greet.ts', line: 7 }), { signal: AbortSignal.abort() })).toEqual([]);
  });
});

describe('defaultProviders', () => {
  it('lists codefix, syntax, rules, then the Python ones, then revert: the cheapest and most reliable first, undoing a commit last', () => {
    expect(defaultProviders().map((p) => p.name)).toEqual(['codefix', 'syntax', 'rules', 'python-syntax', 'python-rules', 'revert']);
  });
});
