// The slice of code a repair provider (or a person) needs to understand a failure at one location,
// cut to a budget so it fits in a prompt beside everything else.
import { Node, SyntaxKind, type Identifier, type SourceFile } from 'ts-morph';
import type { CodeContext, Diagnostic, SourceLocation } from '../model.js';
import { enclosingAt, positionOf } from './enclosing.js';
import { projectFor, type AnalysisProject } from './project.js';

export interface ContextBudget {
  /** Characters of code and messages in total. */
  total: number;
  /** Lines kept on each side of the location when the enclosing declaration is too long. */
  windowLines: number;
  maxReferences: number;
  maxReferenceChars: number;
  /** Diagnostics further than this many lines from the location are left out. */
  diagnosticLines: number;
  maxDiagnostics: number;
}

export const DEFAULT_BUDGET: ContextBudget = {
  total: 6000,
  windowLines: 20,
  maxReferences: 12,
  maxReferenceChars: 600,
  diagnosticLines: 20,
  maxDiagnostics: 10,
};

/** Code around location in the repository at root; undefined when the file cannot be analysed. */
export function contextFor(root: string, location: SourceLocation, budget: ContextBudget = DEFAULT_BUDGET): CodeContext | undefined {
  const analysis = projectFor(root);
  const sf = analysis.sourceFile(location.file);
  if (!sf) return undefined;
  const pos = positionOf(sf, location.line, location.column);
  if (pos === undefined) return undefined;
  let left = budget.total;
  const spend = (text: string): boolean => {
    if (text.length > left) return false;
    left -= text.length;
    return true;
  };

  const diagnostics = nearbyDiagnostics(analysis, location, budget).filter((d) => spend(d.message));
  const found = enclosingAt(sf, pos);
  let enclosing: CodeContext['enclosing'];
  if (found) {
    // The declaration gets at most half the budget: the rest explains what it uses.
    const text = clip(found.node.getText(), found.startLine, location.line, budget.windowLines, Math.floor(left / 2));
    spend(text);
    enclosing = { kind: found.kind, name: found.name, startLine: found.startLine, endLine: found.endLine, text };
  }
  const imports = sf.getImportDeclarations().map((d) => d.getText()).filter(spend);
  const referencedDeclarations: CodeContext['referencedDeclarations'] = [];
  if (found) {
    for (const ref of references(analysis, found.node, budget)) {
      if (referencedDeclarations.length >= budget.maxReferences) break;
      if (spend(ref.text)) referencedDeclarations.push(ref);
    }
  }
  return { file: analysis.relative(sf.getFilePath()), enclosing, imports, referencedDeclarations, diagnostics };
}

function nearbyDiagnostics(analysis: AnalysisProject, location: SourceLocation, budget: ContextBudget): Diagnostic[] {
  return analysis
    .diagnosticsFor(location.file)
    .filter((d) => Math.abs(d.line - location.line) <= budget.diagnosticLines)
    .sort((a, b) => Math.abs(a.line - location.line) - Math.abs(b.line - location.line))
    .slice(0, budget.maxDiagnostics);
}

/**
 * Keeps the first line (the signature) and the lines around the location when the text is over
 * budget, marking what was cut.
 */
function clip(text: string, firstLine: number, line: number, windowLines: number, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const at = Math.min(Math.max(line - firstLine, 0), lines.length - 1);
  const from = Math.max(1, at - windowLines);
  const to = Math.min(lines.length, Math.max(from, at + windowLines + 1));
  const kept = [lines[0]];
  if (from > 1) kept.push(omitted(from - 1));
  kept.push(...lines.slice(from, to));
  if (to < lines.length) kept.push(omitted(lines.length - to));
  const clipped = kept.join('\n');
  return clipped.length <= max ? clipped : `${clipped.slice(0, Math.max(0, max - 2))} …`;
}

function omitted(count: number): string {
  return `/* … ${count} ${count === 1 ? 'line' : 'lines'} omitted */`;
}

/** Declarations (outside node, inside the repository) of the identifiers node uses, in order of use. */
function references(analysis: AnalysisProject, node: Node, budget: ContextBudget): CodeContext['referencedDeclarations'] {
  const seen = new Set<string>();
  const found: CodeContext['referencedDeclarations'] = [];
  for (const id of node.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const name = id.getText();
    if (seen.has(name) || found.length >= budget.maxReferences) continue;
    const declaration = declarationOf(id);
    if (!declaration) continue;
    const file = declaration.getSourceFile();
    const inside = declaration.getStart() >= node.getStart() && declaration.getEnd() <= node.getEnd() && file === node.getSourceFile();
    if (inside || !isRepositoryFile(analysis, file)) continue;
    seen.add(name);
    const text = shown(declaration).getText();
    found.push({
      name,
      file: analysis.relative(file.getFilePath()),
      line: declaration.getStartLineNumber(),
      text: text.length > budget.maxReferenceChars ? `${text.slice(0, budget.maxReferenceChars)} …` : text,
    });
  }
  return found;
}

function declarationOf(id: Identifier): Node | undefined {
  try {
    let symbol = id.getSymbol();
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
    return symbol?.getDeclarations()[0];
  } catch {
    // The checker can throw on half-written code; a missing reference is better than no context.
    return undefined;
  }
}

/** A variable is shown with its statement (`export const x = ...`), not just `x = ...`. */
function shown(declaration: Node): Node {
  if (Node.isVariableDeclaration(declaration)) return declaration.getVariableStatement() ?? declaration;
  return declaration;
}

function isRepositoryFile(analysis: AnalysisProject, file: SourceFile): boolean {
  const path = file.getFilePath();
  return analysis.isInside(path) && !analysis.relative(path).split('/').includes('node_modules');
}
