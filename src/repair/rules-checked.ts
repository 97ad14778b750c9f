// A failing assertion often sits in a test while the cause is a type error in the code it calls:
// a dropped `await` leaves a Promise where a value was meant, and the test only sees a wrong
// value. The modules the failing tests import (transitively) are checked, and the language
// service's fixes for their errors offered, nearest module first.
import { Node, ts, type SourceFile, type Type } from 'ts-morph';
import type { AnalysisProject } from '../analysis/project.js';
import type { Problem, SourceLocation } from '../model.js';

const MAX_FILES = 200;
const MAX_ERRORS = 6;

export interface AwaitFix {
  file: string;
  name: string;
  line: number;
  before: string;
  after: string;
  enclosing?: string;
}

/**
 * Variables holding a Promise whose uses are type errors, declared in an async function without
 * `await`: awaiting the initializer mends every use at once, where the language service offers
 * to await one use at a time.
 */
export function unawaitedInitializers(analysis: AnalysisProject, files: string[]): AwaitFix[] {
  const fixes: AwaitFix[] = [];
  const seen = new Set<Node>();
  for (const file of files) {
    const sf = analysis.sourceFile(file);
    const result = sf && analysis.rawDiagnostics(file);
    if (!sf || !result || result.kind === 'syntactic') continue;
    for (const d of result.diagnostics) {
      if (d.category !== ts.DiagnosticCategory.Error || d.start === undefined) continue;
      let node: Node | undefined = sf.getDescendantAtPos(d.start);
      const parent: Node | undefined = node?.getParent();
      if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === node) node = parent.getExpression();
      if (!Node.isIdentifier(node)) continue;
      const declaration: Node | undefined = node.getSymbol()?.getDeclarations()[0];
      if (!Node.isVariableDeclaration(declaration) || seen.has(declaration) || declaration.getSourceFile() !== sf) continue;
      const initializer = declaration.getInitializer();
      if (!initializer || Node.isAwaitExpression(initializer) || !isThenable(initializer.getType())) continue;
      const fn = declaration.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isMethodDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
      if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) || !fn.isAsync()) continue;
      seen.add(declaration);
      const text = sf.getFullText();
      const at = initializer.getStart();
      const name = Node.isMethodDeclaration(fn) || Node.isFunctionDeclaration(fn) ? fn.getName() : undefined;
      fixes.push({ file, name: declaration.getName(), line: declaration.getStartLineNumber(), before: text, after: `${text.slice(0, at)}await ${text.slice(at)}`, enclosing: name });
    }
  }
  return fixes;
}

/**
 * A Promise, or a value that is also one (simple-git's `SimpleGit & Promise<string>`): awaiting it
 * gives what its user meant.
 */
function isThenable(type: Type): boolean {
  if (type.getSymbol()?.getName() === 'Promise') return true;
  if (type.isIntersection()) return type.getIntersectionTypes().some(isThenable);
  return false;
}

/** Error locations in the repository modules that the problem's test files import, nearest first. */
export function importedErrors(analysis: AnalysisProject, problem: Problem, isProtected: (file: string) => boolean): SourceLocation[] {
  const found: SourceLocation[] = [];
  for (const sf of importClosure(analysis, problem.testFiles)) {
    const file = analysis.relative(sf.getFilePath());
    if (isProtected(file)) continue;
    const result = analysis.rawDiagnostics(file);
    // A file that does not parse is the syntax provider's.
    if (!result || result.kind === 'syntactic') continue;
    for (const d of result.diagnostics) {
      if (d.category !== ts.DiagnosticCategory.Error || d.start === undefined) continue;
      const { line, column } = sf.getLineAndColumnAtPos(d.start);
      found.push({ file, line, column });
      if (found.length >= MAX_ERRORS) return found;
    }
  }
  return found;
}

/** Breadth-first over relative imports, so a test's direct imports come before theirs. */
export function importClosure(analysis: AnalysisProject, testFiles: string[]): SourceFile[] {
  const seen = new Set<string>();
  const queue: SourceFile[] = [];
  for (const file of testFiles) {
    const sf = analysis.sourceFile(file);
    if (sf) queue.push(sf);
  }
  const result: SourceFile[] = [];
  while (queue.length > 0 && result.length < MAX_FILES) {
    const sf = queue.shift()!;
    const key = sf.getFilePath();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!testFiles.includes(analysis.relative(key))) result.push(sf);
    for (const declaration of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) {
      const target = declaration.getModuleSpecifierSourceFile();
      if (!target || !analysis.isInside(target.getFilePath()) || analysis.relative(target.getFilePath()).split('/').includes('node_modules')) continue;
      queue.push(target);
    }
  }
  return result;
}
