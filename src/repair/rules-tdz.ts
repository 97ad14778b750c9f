// "Cannot access 'X' before initialization": X's declaration sits below code that runs first. The
// fix moves the declaration (with its comments) above the first statement that reaches X, when
// nothing its initializer uses is declared in between.
import { Node, SyntaxKind, type SourceFile, type Statement } from 'ts-morph';

export interface Move {
  after: string;
  /** The statement the declaration now precedes, its first line, e.g. "export const TAX = rate(RATE);". */
  before: string;
  /** The first statement that reads the declaration, its first line (often `before` itself). */
  use: string;
  /** Where the declaration lives: "module" or a function's name. */
  scope: string;
  fromLine: number;
  toLine: number;
}

export interface MoveOptions {
  /** Narrows which declarations may move at all. */
  accept?: (statement: Statement) => boolean;
  /** Which statement of list[0..firstUse] the declaration goes above; its first use by default. */
  destination?: (list: Statement[], firstUse: number, declaration: Statement) => number;
}

/**
 * Moves name's declaration above the first statement of its list that uses it, where the
 * runtime's stack lines (in this file) say so too; undefined when no safe move exists.
 */
export function moveAboveFirstUse(sf: SourceFile, name: string, stackLines: number[], options: MoveOptions = {}): Move | undefined {
  for (const statement of declaringStatements(sf, name)) {
    if (options.accept && !options.accept(statement)) continue;
    const list = statementsAround(statement);
    if (!list) continue;
    const index = list.indexOf(statement);
    const use = firstUse(list.slice(0, index), name, stackLines);
    if (use === undefined) continue;
    const target = Math.min(use, options.destination?.(list, use, statement) ?? use);
    if (!safeToMove(statement, list.slice(target, index))) continue;
    const moved = movedText(sf, statement, list[target]);
    if (!moved) continue;
    const owner = statement.getParentOrThrow().getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a));
    const scope = owner && 'getName' in owner && typeof owner.getName === 'function' ? `${owner.getName() ?? 'function'}()` : 'module';
    return {
      after: moved,
      before: list[target].getText().split('\n')[0],
      use: list[use].getText().split('\n')[0],
      scope,
      fromLine: statement.getStartLineNumber(),
      toLine: list[target].getStartLineNumber(),
    };
  }
  return undefined;
}

function declaringStatements(sf: SourceFile, name: string): Statement[] {
  const found: Statement[] = [];
  for (const decl of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (decl.getName() !== name) continue;
    const statement = decl.getVariableStatement();
    if (statement && statement.getDeclarations().length === 1) found.push(statement);
  }
  for (const cls of sf.getDescendantsOfKind(SyntaxKind.ClassDeclaration)) if (cls.getName() === name) found.push(cls);
  return found;
}

function statementsAround(statement: Statement): Statement[] | undefined {
  const parent = statement.getParent();
  if (Node.isSourceFile(parent) || Node.isBlock(parent)) return parent.getStatements();
  return undefined;
}

/**
 * Index of the first statement that uses name as it runs (not inside a function it only
 * declares), or that holds a frame of the error's stack; function declarations run later.
 */
function firstUse(earlier: Statement[], name: string, stackLines: number[]): number | undefined {
  for (let i = 0; i < earlier.length; i++) {
    const statement = earlier[i];
    if (Node.isFunctionDeclaration(statement) || Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement)) continue;
    const start = statement.getStartLineNumber();
    const end = statement.getEndLineNumber();
    if (stackLines.some((line) => line >= start && line <= end)) return i;
    if (usesDirectly(statement, name)) return i;
  }
  return undefined;
}

export function usesDirectly(node: Node, name: string): boolean {
  return node.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === name && !isDeferred(id, node) && !isPropertyName(id));
}

/** Inside a function (or method) that node only defines, so the use runs later if at all. */
function isDeferred(id: Node, within: Node): boolean {
  for (let n = id.getParent(); n && n !== within; n = n.getParent()) {
    if (Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n)) return true;
  }
  return false;
}

function isPropertyName(id: Node): boolean {
  const parent = id.getParent();
  if (Node.isPropertyAccessExpression(parent)) return parent.getNameNode() === id;
  if (Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent) || Node.isMethodDeclaration(parent)) return parent.getNameNode() === id;
  return false;
}

/** The moved statement must not use, as it runs, anything declared by the statements it jumps over. */
function safeToMove(statement: Statement, jumped: Statement[]): boolean {
  const declared = new Set<string>();
  for (const s of jumped) {
    if (Node.isVariableStatement(s)) for (const d of s.getDeclarations()) for (const id of d.getNameNode().getDescendantsOfKind(SyntaxKind.Identifier)) declared.add(id.getText());
    if (Node.isVariableStatement(s)) for (const d of s.getDeclarations()) if (Node.isIdentifier(d.getNameNode())) declared.add(d.getName());
    if (Node.isClassDeclaration(s) || Node.isEnumDeclaration(s)) declared.add(s.getName() ?? '');
  }
  return ![...declared].some((name) => name && usesDirectly(statement, name));
}

/** The file with statement's lines (and the comments above it) cut and pasted above target's. */
function movedText(sf: SourceFile, statement: Statement, target: Statement): string | undefined {
  const text = sf.getFullText();
  const block = lineRange(text, startWithComments(statement), statement.getEnd());
  const insertAt = lineRange(text, startWithComments(target), target.getEnd()).start;
  if (insertAt >= block.start) return undefined;
  let cut = text.slice(block.start, block.end);
  let removeEnd = block.end;
  // Leave one blank line where the declaration was, not two.
  const previousBlank = /\n[ \t]*\n$/.test(text.slice(0, block.start)) || block.start === 0;
  if (previousBlank && /^[ \t]*\n/.test(text.slice(block.end))) removeEnd = block.end + /^[ \t]*\n/.exec(text.slice(block.end))![0].length;
  if (!cut.endsWith('\n')) cut += '\n';
  return text.slice(0, insertAt) + cut + text.slice(insertAt, block.start) + text.slice(removeEnd);
}

/** Where statement starts with the comments right above it (a blank line ends them). */
function startWithComments(statement: Statement): number {
  const text = statement.getSourceFile().getFullText();
  let start = statement.getStart(true);
  for (const range of [...statement.getLeadingCommentRanges()].reverse()) {
    if (range.getPos() >= start) continue;
    if ((text.slice(range.getEnd(), start).match(/\n/g) ?? []).length > 1) break;
    start = range.getPos();
  }
  return start;
}

/** Whole lines from the line holding start to the end of the line holding end, newline included. */
function lineRange(text: string, start: number, end: number): { start: number; end: number } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  return { start: lineStart, end: newline === -1 ? text.length : newline + 1 };
}
