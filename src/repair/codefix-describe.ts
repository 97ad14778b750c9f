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
}

/**
 * Fixes that only delete code, silence the checker or add type annotations: none of them can make
 * a failing test pass, and deleting code can make a test "pass" by removing what it tests.
 */
const NEVER = new Set([
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
