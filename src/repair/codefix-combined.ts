// Combined code fixes: the language service's "fix all in file" for the kind of fix offered at a
// problem's location. After a refactor several uses break at once (an import removed, a function
// made async); the fix at the location mends one of them and leaves the others failing.
import { Node, ts, type SourceFile } from 'ts-morph';
import { enclosingAt } from '../analysis/enclosing.js';
import type { AnalysisProject } from '../analysis/project.js';
import type { CombinedSite, FoundFix } from './codefix-describe.js';

/**
 * The fixes that may be applied across a file, by fixName: the fix id to combine them under and
 * the description of the combination. `fixId` is only set on a fix when the file holds two errors
 * it could answer, and never on some (an await added to an initializer), so the id is looked up
 * here. Fixes missing from this table are never combined: adding every missing member or function
 * declaration across a file writes stubs, not the code that was meant.
 */
export const COMBINABLE: Readonly<Record<string, { fixId: string; description: string }>> = {
  import: { fixId: 'fixMissingImport', description: 'Add all missing imports' },
  spelling: { fixId: 'fixSpelling', description: 'Fix all detected spelling errors' },
  addMissingAwait: { fixId: 'addMissingAwait', description: "Fix all expressions possibly missing 'await'" },
  addMissingAwaitToInitializer: { fixId: 'addMissingAwait', description: "Fix all expressions possibly missing 'await'" },
  fixAwaitInSyncFunction: { fixId: 'fixAwaitInSyncFunction', description: "Add all missing 'async' modifiers" },
  addMissingAsync: { fixId: 'addMissingAsync', description: "Add all missing 'async' modifiers" },
  forgottenThisPropertyAccess: { fixId: 'forgottenThisPropertyAccess', description: "Add 'this.' to all unresolved variables matching a member name" },
  addMissingNewOperator: { fixId: 'addMissingNewOperator', description: "Add missing 'new' operator to all calls" },
  fixMissingCallParentheses: { fixId: 'fixMissingCallParentheses', description: 'Add all missing call parentheses' },
};

/** Fixes the language service offers without a fixId even when their combined fix applies. */
const WITHOUT_FIX_ID = new Set(['addMissingAwaitToInitializer']);

/** The id a fix combines under, or undefined when it is not one to apply across a file. */
export function combinedIdOf(fix: ts.CodeFixAction): string | undefined {
  const known = COMBINABLE[fix.fixName];
  if (!known || (fix.fixId !== undefined && fix.fixId !== known.fixId)) return undefined;
  return known.fixId;
}

/** "Could not find name": counted as an error in unchecked JS, as the provider does. */
const UNCHECKED_JS_NAME_CODE = 2570;

export interface DiagnosticSpan {
  code: number;
  start: number;
  length: number;
  message: string;
}

export interface CombineInput {
  languageService: ts.LanguageService;
  sf: SourceFile;
  /** The single fix and the diagnostic span it was found at. */
  found: FoundFix;
  span: DiagnosticSpan;
  /** Every error of the file, to find the others the combined fix answers. */
  diagnostics: readonly DiagnosticSpan[];
  /** The fixes offered at a diagnostic (cached by the caller: each costs a checker query). */
  fixesFor: (span: DiagnosticSpan) => readonly ts.CodeFixAction[];
  format: ts.FormatCodeSettings;
  preferences: ts.UserPreferences;
}

/**
 * The combined fix for the single one, as a FoundFix whose `combined` lists the errors it answers;
 * undefined when it is not combinable or answers only the one error (it would equal the single fix).
 */
export function combinedFix(input: CombineInput): FoundFix | undefined {
  const { languageService, sf, found, span, diagnostics, fixesFor, format, preferences } = input;
  const fixId = combinedIdOf(found.fix);
  // The language service keeps a fix's fixId only when its file holds two errors that fix answers:
  // without one there is nothing to combine, except for fixes that never carry an id.
  if (!fixId || (found.fix.fixId === undefined && !WITHOUT_FIX_ID.has(found.fix.fixName))) return undefined;
  const text = sf.getFullText();
  const spelling = fixId === 'fixSpelling';
  // A repeated misspelling is one mistake; other misspellings in the file are other guesses.
  const sameKind = (d: DiagnosticSpan, fix: ts.CodeFixAction): boolean =>
    combinedIdOf(fix) === fixId && (!spelling || (fix.description === found.fix.description && text.slice(d.start, d.start + d.length) === found.spanText));

  const answered: DiagnosticSpan[] = [span];
  for (const d of diagnostics) {
    if (d.start === span.start && d.length === span.length && d.code === span.code) continue;
    if (fixesFor(d).some((fix) => sameKind(d, fix))) answered.push(d);
  }
  if (answered.length < 2) return undefined;

  let combined: ts.CombinedCodeActions;
  try {
    combined = languageService.getCombinedCodeFix({ type: 'file', fileName: sf.getFilePath() }, fixId, format, preferences);
  } catch {
    return undefined;
  }
  if (combined.commands?.length) return undefined;
  let changes = combined.changes;
  if (spelling) {
    // Every edit refers to the text before any edit, so dropping some leaves the others valid.
    const touches = (t: ts.TextChange) => answered.some((d) => t.span.start < d.start + d.length && d.start < t.span.start + t.span.length);
    changes = changes.map((c) => ({ ...c, textChanges: c.textChanges.filter(touches) }));
  }
  changes = changes.filter((c) => c.textChanges.length > 0);
  if (changes.length === 0) return undefined;
  if (fixId === 'addMissingAwait' && usesOfOneVariable(sf, changes)) return undefined;

  const sites = answered.map((d) => siteOf(sf, text, d)).sort((a, b) => a.start - b.start);
  const description = spelling
    ? `${found.fix.description} at all ${sites.length} uses of '${found.spanText}'`
    : (found.fix.fixId === fixId ? found.fix.fixAllDescription : undefined) ?? COMBINABLE[found.fix.fixName].description;
  return {
    ...found,
    fix: { fixName: found.fix.fixName, description, changes: [...changes], fixId, fixAllDescription: description },
    combined: { fixId, singleDescription: found.fix.description, sites },
  };
}

/**
 * Every await the combined fix adds is at a use of one and the same variable, which holds a
 * Promise where its value was meant. Awaiting it where it is created mends every use and keeps
 * the variable's meaning (the initializer fix, or the rules provider); an await at each use
 * leaves a variable that holds a Promise.
 */
function usesOfOneVariable(sf: SourceFile, changes: readonly ts.FileTextChanges[]): boolean {
  const variables = new Set(changes.flatMap((c) => c.textChanges.map((t) => promisedVariable(sf, t.span.start))));
  return variables.size === 1 && !variables.has(undefined);
}

function siteOf(sf: SourceFile, text: string, d: DiagnosticSpan): CombinedSite {
  const enclosing = enclosingAt(sf, d.start);
  return {
    code: d.code,
    start: d.start,
    line: sf.getLineAndColumnAtPos(d.start).line,
    spanText: text.slice(d.start, d.start + d.length),
    enclosing: enclosing?.name ? { name: enclosing.name, callable: enclosing.callable } : undefined,
  };
}

/**
 * The errors left in a file with its text replaced by each of texts: undefined for a text that does
 * not parse. The text changes of a fix refer to the file before any edit, so what a fix leaves is
 * found by applying it and checking again. The project is restored to the disk's text afterwards
 * (which replaces the file's SourceFile: callers must not hold on to the old one).
 */
export function errorsLeft(analysis: AnalysisProject, file: string, original: string, texts: readonly string[]): (number | undefined)[] {
  const filePath = analysis.absolute(file);
  const counts = new Map<string, number | undefined>();
  try {
    for (const text of texts) {
      if (counts.has(text)) continue;
      analysis.project.createSourceFile(filePath, text, { overwrite: true });
      const found = analysis.rawDiagnostics(file);
      counts.set(text, !found || found.kind === 'syntactic' ? undefined : found.diagnostics.filter(isError).length);
    }
  } finally {
    analysis.project.createSourceFile(filePath, original, { overwrite: true });
  }
  return texts.map((text) => counts.get(text));
}

function isError(d: ts.Diagnostic): boolean {
  return d.category === ts.DiagnosticCategory.Error || d.code === UNCHECKED_JS_NAME_CODE;
}

/**
 * The variable used at `pos` (or whose member is accessed there) when it holds a Promise from an
 * initializer that is not awaited: `const order = this.load(id)`.
 */
export function promisedVariable(sf: SourceFile, pos: number): Node | undefined {
  let node: Node | undefined = sf.getDescendantAtPos(pos);
  const parent = node?.getParent();
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === node) node = parent.getExpression();
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = node.getSymbol()?.getDeclarations()[0];
  if (!Node.isVariableDeclaration(declaration) || declaration.getSourceFile() !== sf) return undefined;
  const initializer = declaration.getInitializer();
  if (!initializer || Node.isAwaitExpression(initializer) || initializer.getType().getSymbol()?.getName() !== 'Promise') return undefined;
  return declaration;
}
