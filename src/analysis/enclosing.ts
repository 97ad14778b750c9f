// The declaration a position belongs to: what a person would name when describing where code broke.
import { Node, type SourceFile } from 'ts-morph';

export interface Enclosing {
  node: Node;
  kind: string;
  /** "greet", "Cart.total", "Cart.constructor"; absent for anonymous code. */
  name?: string;
  /** True when the node is a function or method, so "greet()" reads right in a sentence. */
  callable: boolean;
  startLine: number;
  endLine: number;
}

/** Offset of a 1-based line/column; without a column, the line's first non-blank character. */
export function positionOf(sf: SourceFile, line: number, column?: number): number | undefined {
  const compiler = sf.compilerNode;
  const starts = compiler.getLineStarts();
  if (line < 1 || line > starts.length) return undefined;
  const start = starts[line - 1];
  const end = line < starts.length ? starts[line] : compiler.text.length;
  if (column !== undefined && column >= 1) return Math.min(start + column - 1, Math.max(start, end - 1));
  const indent = /^[ \t]*/.exec(compiler.text.slice(start, end))?.[0].length ?? 0;
  return start + indent;
}

/**
 * The innermost named function-like declaration around pos (callbacks are looked through to the
 * function that owns them); failing that the class, or the top-level statement.
 */
export function enclosingAt(sf: SourceFile, pos: number): Enclosing | undefined {
  const start = sf.getDescendantAtPos(pos);
  if (!start) return undefined;
  let fallback: Node | undefined;
  for (let node: Node | undefined = start; node && !Node.isSourceFile(node); node = node.getParent()) {
    const named = callableName(node);
    if (named) return describe(named.node, named.name, true);
    if (!fallback && Node.isClassDeclaration(node)) fallback = node;
    if (Node.isSourceFile(node.getParent())) fallback ??= node;
  }
  if (!fallback) return undefined;
  return describe(fallback, declaredName(fallback), false);
}

function callableName(node: Node): { node: Node; name: string } | undefined {
  if (Node.isFunctionDeclaration(node)) {
    const name = node.getName();
    return name ? { node, name } : undefined;
  }
  if (Node.isMethodDeclaration(node) || Node.isGetAccessorDeclaration(node) || Node.isSetAccessorDeclaration(node)) {
    return { node, name: memberName(node, node.getName()) };
  }
  if (Node.isConstructorDeclaration(node)) return { node, name: memberName(node, 'constructor') };
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) {
    const parent = node.getParent();
    if (Node.isVariableDeclaration(parent)) {
      const statement = parent.getVariableStatement();
      return { node: statement ?? parent, name: parent.getName() };
    }
    if (Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) {
      return { node: parent, name: memberName(parent, parent.getName()) };
    }
  }
  return undefined;
}

function memberName(node: Node, name: string): string {
  const owner = node.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  const ownerName = owner && (Node.isClassDeclaration(owner) || Node.isClassExpression(owner)) ? owner.getName() : undefined;
  return ownerName ? `${ownerName}.${name}` : name;
}

function declaredName(node: Node): string | undefined {
  if (Node.isVariableStatement(node)) return node.getDeclarations()[0]?.getName();
  if (Node.isClassDeclaration(node) || Node.isInterfaceDeclaration(node) || Node.isTypeAliasDeclaration(node) || Node.isEnumDeclaration(node)) {
    return node.getName();
  }
  return undefined;
}

function describe(node: Node, name: string | undefined, callable: boolean): Enclosing {
  return {
    node,
    kind: node.getKindName(),
    name,
    callable,
    startLine: node.getStartLineNumber(),
    endLine: node.getEndLineNumber(),
  };
}
