// Which language-service fixes are worth a verification run, in what order, and how to say what
// each one does in a commit message.
import type { ts } from 'ts-morph';

/** A code fix together with the diagnostic it answers and where that diagnostic sits. */
export interface FoundFix {
  fix: ts.CodeFixAction;
  code: number;
  message: string;
  /** Repository-relative file and 1-based position of the diagnostic. */
  file: string;
  line: number;
  column: number;
  /** The source text the diagnostic spans, e.g. the unknown name. */
  spanText: string;
  /** "greet", "Cart.total": the declaration the diagnostic is in. */
  enclosing?: { name: string; callable: boolean };
  /** Set when the fix is the language service's combined fix across the file. */
  combined?: {
    fixId: string;
    /** The description of the single fix it was found from, e.g. 'Add import from "./path.js"'. */
    singleDescription: string;
    /** The errors it answers, in file order; the problem's own among them. */
    sites: CombinedSite[];
    /** Errors left in the file with the combined fix applied, and with the single fix (undefined: it does not parse). */
    left?: { combined: number; single?: number };
  };
}

/** One error a combined fix answers. */
export interface CombinedSite {
  code: number;
  /** Offset in the file and 1-based line. */
  start: number;
  line: number;
  spanText: string;
  enclosing?: { name: string; callable: boolean };
}

/**
 * Fixes that only delete code, silence the checker or add type annotations: none of them can make
 * a failing test pass, and deleting code can make a test "pass" by removing what it tests.
 */
const NEVER = new Set([
  // A misnamed JSDoc tag is a misspelling: renaming it fixes it, deleting it deletes documentation.
  'deleteUnmatchedParameter',
  'fixUnreachableCode',
  'fixUnusedLabel',
  'disableJsDiagnostics',
  'addConvertToUnknownForNonOverlappingTypes',
  'inferFromUsage',
  'fixMissingTypeAnnotationOnExports',
  'annotateWithTypeFromJSDoc',
  'jdocTypes',
  'fixCannotFindModule',
]);

/** Fixes that complete what the code evidently meant (a missing await, `this.`, `new`, export). */
const COMPLETING = new Set([
  'addMissingAwaitToInitializer',
  'addMissingAwait',
  'addMissingAsync',
  'fixAwaitInSyncFunction',
  'fixReturnTypeInAsyncFunction',
  'forgottenThisPropertyAccess',
  'addMissingNewOperator',
  'fixMissingCallParentheses',
  'fixImportNonExportedMember',
  'addMissingConst',
  'fixNaNEquality',
  'classSuperMustPrecedeThisAccess',
  'constructorForDerivedNeedSuperCall',
]);

/**
 * Lower is better; undefined means never propose. Adding an import of a name the code already uses
 * is almost always right; a spelling change guesses which name was meant; member stubs come last.
 */
export function tierOf(fix: ts.CodeFixAction): number | undefined {
  const name = fix.fixName;
  if (NEVER.has(name) || name.startsWith('unused') || name.startsWith('remove')) return undefined;
  // Commands (e.g. "install @types/x") are not text edits a patch can carry.
  if (fix.commands?.length) return undefined;
  // Generated stubs "throw new Error('Method not implemented.')": they trade one failure for another.
  if (fix.changes.some((c) => c.textChanges.some((t) => /not implemented/i.test(t.newText)))) return undefined;
  // `[x: string]: any` silences every property error of the class instead of fixing one.
  if (fix.description.startsWith('Add index signature')) return undefined;
  if (name === 'import') return 0;
  if (COMPLETING.has(name)) return 1;
  if (name === 'spelling') return 2;
  return 3;
}

export function rootCauseOf(found: FoundFix): string {
  if (found.combined) return combinedRootCause(found, found.combined.sites);
  const where = `${found.file}:${found.line}`;
  const name = shortCode(found.spanText);
  switch (found.fix.fixName) {
    case 'import':
      return `\`${name}\` is used in ${where} but never imported`;
    case 'spelling': {
      const meant = quoted(found.fix.description);
      return meant ? `\`${name}\` in ${where} is a misspelling of \`${meant}\`` : `\`${name}\` in ${where} is misspelled`;
    }
    case 'addMissingAwaitToInitializer':
      // The diagnostic may sit on a use (`user.name`): the fix's description names the variable.
      return `\`${lastQuoted(found.fix.description) ?? name}\` in ${where} holds a Promise: its initializer is not awaited`;
    case 'addMissingAwait':
      return `\`${name}\` in ${where} is a Promise used without \`await\``;
    case 'addMissingAsync':
    case 'fixAwaitInSyncFunction':
      return `\`await\` is used in ${where}${inFunction(found)}, which is not \`async\``;
    default:
      return `TS${found.code} at ${where}: ${found.message.split('\n')[0]}`;
  }
}

const MAX_SUBJECT = 72;

/** A lower-case imperative commit subject naming the enclosing function when there is one. */
export function subjectOf(found: FoundFix): string {
  if (found.combined) return combinedSubject(found, found.combined.sites);
  const name = shortCode(found.spanText);
  let action: string;
  switch (found.fix.fixName) {
    case 'import':
      action = `import missing ${name}`;
      break;
    case 'spelling':
      action = `fix misspelled ${name}`;
      break;
    case 'addMissingAwaitToInitializer':
      action = `await initializer of ${lastQuoted(found.fix.description) ?? name}`;
      break;
    case 'addMissingAwait':
      action = name.length <= 30 ? `await ${name}` : 'add missing await';
      break;
    case 'addMissingAsync':
    case 'fixAwaitInSyncFunction':
      if (found.enclosing?.callable) return fit(`make ${found.enclosing.name}() async`, 'add missing async');
      action = 'add missing async';
      break;
    default:
      action = lowerFirst(found.fix.description.replace(/['"`]/g, ''));
  }
  return fit(action + inFunction(found), action);
}

function combinedRootCause(found: FoundFix, sites: CombinedSite[]): string {
  const where = `${found.file}:${listOf(unique(sites.map((s) => String(s.line))))}`;
  const names = unique(sites.map((s) => shortCode(s.spanText)));
  const functions = callables(sites);
  switch (found.fix.fixName) {
    case 'import':
      return `${listOf(names.map(code))} ${names.length > 1 ? 'are' : 'is'} used in ${where} but never imported`;
    case 'spelling': {
      const meant = quoted(found.combined?.singleDescription ?? '');
      return meant ? `\`${names[0]}\` in ${where} is a misspelling of \`${meant}\`` : `\`${names[0]}\` in ${where} is misspelled`;
    }
    case 'addMissingAwaitToInitializer':
    case 'addMissingAwait':
      return `Promises are used without \`await\` in ${where}${functions ? ` (${functions})` : ''}`;
    case 'addMissingAsync':
    case 'fixAwaitInSyncFunction':
      return functions
        ? `\`await\` is used in ${where} in ${functions}, which ${functions.includes(' and ') ? 'are' : 'is'} not \`async\``
        : `\`await\` is used in ${where} in functions that are not \`async\``;
    default:
      return `TS${found.code} at ${where}: ${found.message.split('\n')[0]}`;
  }
}

/** "import missing join and resolve in greet() and home()"; "... across greet.ts" when spread wider. */
function combinedSubject(found: FoundFix, sites: CombinedSite[]): string {
  const names = unique(sites.map((s) => shortCode(s.spanText)));
  const across = ` across ${found.file.split('/').at(-1)}`;
  const where = whereAll(sites) ?? across;
  let action: string;
  let shorter: string;
  switch (found.fix.fixName) {
    case 'import':
      action = `import missing ${listOf(names)}`;
      shorter = `import ${names.length} missing names`;
      break;
    case 'spelling':
      action = `fix ${sites.length} misspelled ${names[0]}`;
      shorter = action;
      break;
    case 'addMissingAwaitToInitializer':
    case 'addMissingAwait':
      action = shorter = 'add missing awaits';
      break;
    case 'addMissingAsync':
    case 'fixAwaitInSyncFunction': {
      const functions = callables(sites);
      if (functions) return fit(`make ${functions} async`, `add missing async modifiers${across}`);
      action = shorter = 'add missing async modifiers';
      break;
    }
    default:
      action = shorter = lowerFirst(found.fix.description.replace(/['"`]/g, ''));
  }
  return fit(action + where, fit(shorter + across, shorter));
}

/** " in greet() and home()" when every site has a name and there are at most three; else undefined. */
function whereAll(sites: CombinedSite[]): string | undefined {
  if (sites.some((s) => !s.enclosing)) return undefined;
  const names = unique(sites.map((s) => s.enclosing!.name + (s.enclosing!.callable ? '()' : '')));
  return names.length <= 3 ? ` in ${listOf(names)}` : undefined;
}

/** "first() and second()" when every site is in a named function, at most three of them. */
function callables(sites: CombinedSite[]): string | undefined {
  if (sites.some((s) => !s.enclosing?.callable)) return undefined;
  const names = unique(sites.map((s) => `${s.enclosing!.name}()`));
  return names.length <= 3 ? listOf(names) : undefined;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function code(text: string): string {
  return `\`${text}\``;
}

function inFunction(found: FoundFix): string {
  if (!found.enclosing) return '';
  return ` in ${found.enclosing.name}${found.enclosing.callable ? '()' : ''}`;
}

function fit(subject: string, shorter: string): string {
  if (subject.length <= MAX_SUBJECT) return subject;
  return shorter.length <= MAX_SUBJECT ? shorter : `${shorter.slice(0, MAX_SUBJECT - 1)}…`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Code quoted in a message, one line, short enough for a sentence. */
function shortCode(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/** "Add 'await' to initializer for 'user'" → user. */
function lastQuoted(text: string): string | undefined {
  return [...text.matchAll(/'([^']+)'/g)].at(-1)?.[1];
}

function quoted(text: string): string | undefined {
  return /'([^']+)'/.exec(text)?.[1];
}
