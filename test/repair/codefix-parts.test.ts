import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/repair/codefix.js';
import { subjectOf, tierOf, type FoundFix } from '../../src/repair/codefix-describe.js';
import { formatSettingsFor } from '../../src/repair/codefix-style.js';

function fix(fixName: string, description: string, newText = 'x'): ts.CodeFixAction {
  return { fixName, description, changes: [{ fileName: '/r/a.ts', textChanges: [{ span: { start: 0, length: 0 }, newText }] }] };
}

function found(fixName: string, description: string, spanText: string, enclosing?: FoundFix['enclosing']): FoundFix {
  return { fix: fix(fixName, description), code: 2304, message: 'm', file: 'src/a.ts', line: 1, column: 1, spanText, enclosing };
}

describe('applyEdits', () => {
  it('applies every edit against the original text, keeping two inserts at one point in order', () => {
    const edits = [
      { span: { start: 6, length: 5 }, newText: 'there' },
      { span: { start: 0, length: 0 }, newText: 'A' },
      { span: { start: 0, length: 0 }, newText: 'B' },
      { span: { start: 11, length: 0 }, newText: '!' },
    ];
    expect(applyEdits('hello world', edits)).toBe('ABhello there!');
  });
});

describe('tierOf', () => {
  it('puts imports first, completions next, spelling after them and other fixes last', () => {
    expect(tierOf(fix('import', 'Add import from "./a.js"'))).toBe(0);
    expect(tierOf(fix('addMissingAwait', "Add 'await'"))).toBe(1);
    expect(tierOf(fix('spelling', "Change spelling to 'b'"))).toBe(2);
    expect(tierOf(fix('fixMissingMember', "Declare property 'c'", '\n  c: any;'))).toBe(3);
  });

  it('never proposes deletions, silencers or stubs that throw', () => {
    expect(tierOf(fix('unusedIdentifier', "Remove unused declaration for: 'x'", ''))).toBeUndefined();
    expect(tierOf(fix('removeUnnecessaryAwait', 'Remove unnecessary await', ''))).toBeUndefined();
    expect(tierOf(fix('fixUnreachableCode', 'Remove unreachable code', ''))).toBeUndefined();
    expect(tierOf(fix('disableJsDiagnostics', 'Ignore this error message', '// @ts-ignore\n'))).toBeUndefined();
    expect(tierOf(fix('fixMissingMember', "Declare method 'm'", "m() {\n  throw new Error('Method not implemented.');\n}\n"))).toBeUndefined();
    expect(tierOf(fix('fixMissingFunctionDeclaration', "Add missing function declaration 'f'", "function f() {\n  throw new Error('Function not implemented.');\n}\n"))).toBeUndefined();
    expect(tierOf(fix('fixMissingMember', "Add index signature for property 'p'", '[x: string]: any;'))).toBeUndefined();
  });
});

describe('subjectOf', () => {
  it('is an imperative naming the enclosing function', () => {
    expect(subjectOf(found('import', 'Add import from "./path.js"', 'join', { name: 'greet', callable: true }))).toBe('import missing join in greet()');
    expect(subjectOf(found('spelling', "Change spelling to 'port'", 'prot', { name: 'CONFIG', callable: false }))).toBe('fix misspelled prot in CONFIG');
    expect(subjectOf(found('fixMissingMember', "Declare property 'count'", 'count'))).toBe('declare property count');
  });

  it('drops the function name rather than exceed 72 characters', () => {
    const subject = subjectOf(found('import', 'Add import', 'join', { name: `Very${'Long'.repeat(20)}.method`, callable: true }));
    expect(subject).toBe('import missing join');
  });
});

describe('formatSettingsFor', () => {
  it('reads two-space indents, semicolons and spaced braces', () => {
    const settings = formatSettingsFor("import { a } from './a.js';\n\nexport function f() {\n  return a;\n}\n");
    expect([settings.indentSize, settings.convertTabsToSpaces, settings.semicolons, settings.insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces]).toEqual([
      2,
      true,
      ts.SemicolonPreference.Insert,
      true,
    ]);
  });

  it('reads tabs, no semicolons, tight braces and CRLF', () => {
    const settings = formatSettingsFor('import {a} from "./a"\r\n\r\nexport function f() {\r\n\treturn a\r\n}\r\n');
    expect([settings.convertTabsToSpaces, settings.semicolons, settings.insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces, settings.newLineCharacter]).toEqual([
      false,
      ts.SemicolonPreference.Remove,
      false,
      '\r\n',
    ]);
  });
});
