// "Cannot read properties of undefined (reading 'json')" at a statement that runs as its scope
// does, whose object is a `var` declared further down the same scope. `var` is hoisted, so nothing
// flags the early use (no TDZ error, no TS2448): it reads undefined. The fix moves the declaration
// above that statement, and only when its initializer's moment cannot matter: a literal, a
// `require('…')` (with property reads on it), or an imported binding.
import { Node, SyntaxKind, VariableDeclarationKind, type SourceFile, type Statement } from 'ts-morph';
import { moveAboveFirstUse, type Move } from './rules-tdz.js';

const UNDEFINED_READ = /Cannot read propert(?:y|ies) of undefined \(reading '([^']+)'\)|Cannot read property '([^']+)' of undefined/g;

export interface Hoist extends Move {
  /** The `var` moved. */
  name: string;
  /** The property the failure read from it. */
  property: string;
}

/** The properties runtime messages say were read from undefined, first mention first. */
export function undefinedReads(text: string): string[] {
  return [...new Set([...text.matchAll(UNDEFINED_READ)].map((m) => m[1] ?? m[2]))];
}

/**
 * Moves the `var` whose `.property` a frame of the stack (stackLines, in this file) reads above the
 * first statement holding a frame (the one running when it failed); undefined when no such `var`
 * exists or moving it is not safe.
 */
export function hoistVarAboveUse(sf: SourceFile, property: string, stackLines: number[]): Hoist | undefined {
  for (const line of stackLines) {
    for (const name of objectsReadAt(sf, property, line)) {
      const move = moveAboveFirstUse(sf, name, stackLines, { accept: (statement) => isMovableVar(statement, name) && !reassigned(sf, name), destination: withRequires });
      if (move) return { ...move, name, property };
    }
  }
  return undefined;
}

/**
 * A `require` joins the first `require` declaration above its first use, where the module keeps
 * its dependencies (and where it most likely was); anything else goes right above the use.
 */
function withRequires(list: Statement[], firstUse: number, declaration: Statement): number {
  if (!Node.isVariableStatement(declaration) || !isRequireValue(declaration.getDeclarations()[0]?.getInitializer())) return firstUse;
  const first = list.slice(0, firstUse).findIndex((s) => Node.isVariableStatement(s) && s.getDeclarations().some((d) => isRequireValue(d.getInitializer())));
  return first === -1 ? firstUse : first;
}

/** Names X of the `X.property` and `X['property']` reads on line. */
function objectsReadAt(sf: SourceFile, property: string, line: number): string[] {
  const names: string[] = [];
  for (const access of sf.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const object = access.getExpression();
    if (access.getName() === property && Node.isIdentifier(object) && access.getNameNode().getStartLineNumber() === line) names.push(object.getText());
  }
  for (const access of sf.getDescendantsOfKind(SyntaxKind.ElementAccessExpression)) {
    const object = access.getExpression();
    const argument = access.getArgumentExpression();
    if (!Node.isIdentifier(object) || !argument || !Node.isStringLiteral(argument)) continue;
    if (argument.getLiteralValue() === property && argument.getStartLineNumber() === line) names.push(object.getText());
  }
  return [...new Set(names)];
}

/** `var name = <initializer whose moment does not matter>;`, alone in its statement. */
function isMovableVar(statement: Statement, name: string): boolean {
  if (!Node.isVariableStatement(statement) || statement.getDeclarationKind() !== VariableDeclarationKind.Var) return false;
  const declarations = statement.getDeclarations();
  if (declarations.length !== 1 || declarations[0].getName() !== name) return false;
  const initializer = declarations[0].getInitializer();
  return initializer !== undefined && isTimeless(initializer, statement.getSourceFile());
}

/** A literal, `require('x')` (and property reads on it), or a name an import declaration binds. */
function isTimeless(expression: Node, sf: SourceFile): boolean {
  if (Node.isStringLiteral(expression) || Node.isNoSubstitutionTemplateLiteral(expression) || Node.isNumericLiteral(expression)) return true;
  if (Node.isTrueLiteral(expression) || Node.isFalseLiteral(expression) || Node.isNullLiteral(expression)) return true;
  if (Node.isPropertyAccessExpression(expression)) return isRequire(expression.getExpression()) || isTimeless(expression.getExpression(), sf);
  if (isRequire(expression)) return true;
  if (Node.isIdentifier(expression)) return importedNames(sf).has(expression.getText());
  return false;
}

/** `require('x')` or a property read on it. */
function isRequireValue(expression: Node | undefined): boolean {
  if (expression && Node.isPropertyAccessExpression(expression)) return isRequireValue(expression.getExpression());
  return expression !== undefined && isRequire(expression);
}

function isRequire(expression: Node): boolean {
  if (!Node.isCallExpression(expression)) return false;
  const callee = expression.getExpression();
  const args = expression.getArguments();
  return Node.isIdentifier(callee) && callee.getText() === 'require' && args.length === 1 && Node.isStringLiteral(args[0]);
}

function importedNames(sf: SourceFile): Set<string> {
  const names = new Set<string>();
  for (const decl of sf.getImportDeclarations()) {
    const clause = decl.getImportClause();
    if (!clause || clause.isTypeOnly()) continue;
    const fallback = clause.getDefaultImport();
    if (fallback) names.add(fallback.getText());
    const namespace = clause.getNamespaceImport();
    if (namespace) names.add(namespace.getText());
    for (const named of clause.getNamedImports()) if (!named.isTypeOnly()) names.add((named.getAliasNode() ?? named.getNameNode()).getText());
  }
  return names;
}

/**
 * Whether name is written anywhere but its declaration: a write the move would reorder against
 * the initializer (the `var` could then end up holding the other value).
 */
function reassigned(sf: SourceFile, name: string): boolean {
  return sf.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name) return false;
    const parent = id.getParent();
    if (Node.isBinaryExpression(parent)) return parent.getLeft() === id && parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment;
    if (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) {
      const op = parent.getOperatorToken();
      return op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken;
    }
    return false;
  });
}
