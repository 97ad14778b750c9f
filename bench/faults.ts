// The faults the repair benchmark injects, one kind at a time: every site of a kind in a source
// file, as a function from the clean text to the faulty one. Sites are listed in a fixed order so
// a seed picks the same ones on every machine.
import { Node, Project, SyntaxKind, type SourceFile } from 'ts-morph';

export const FAULT_KINDS = ['syntax', 'missing-import', 'misspelled-identifier', 'use-before-declaration', 'missing-await', 'async-await-mismatch'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Site {
  kind: FaultKind;
  file: string;
  /** "line 12: delete `}`". */
  description: string;
  faulty: string;
}

const scratch = new Project({ useInMemoryFileSystem: true });

export function sitesOf(kind: FaultKind, file: string, text: string): Site[] {
  const sf = scratch.createSourceFile(`/bench/${file}`, text, { overwrite: true });
  const found = FINDERS[kind](sf, text);
  return found.map(({ description, faulty }) => ({ kind, file, description, faulty }));
}

type Finder = (sf: SourceFile, text: string) => { description: string; faulty: string }[];

const FINDERS: Record<FaultKind, Finder> = {
  syntax: (_sf, text) => {
    const sites: { description: string; faulty: string }[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '}') sites.push({ description: `line ${i + 1}: delete the closing brace`, faulty: [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n') });
      const paren = /\)\);$/.exec(line);
      if (paren) {
        const edited = `${line.slice(0, paren.index)});`;
        sites.push({ description: `line ${i + 1}: delete a closing parenthesis`, faulty: [...lines.slice(0, i), edited, ...lines.slice(i + 1)].join('\n') });
      }
    });
    return sites;
  },

  'missing-import': (sf, text) =>
    sf.getImportDeclarations().flatMap((declaration) => {
      if (declaration.isTypeOnly()) return [];
      const named = declaration.getNamedImports().filter((n) => !n.isTypeOnly());
      return named
        .filter((n) => usedAsValue(sf, n.getName()))
        .map((n) => {
          const others = declaration.getNamedImports().filter((o) => o !== n);
          let faulty: string;
          if (others.length === 0 && !declaration.getDefaultImport()) {
            const end = text.indexOf('\n', declaration.getEnd());
            faulty = text.slice(0, declaration.getStart()) + text.slice(end + 1);
          } else {
            const start = n.getStart();
            const after = text.slice(n.getEnd()).match(/^\s*,\s*/)?.[0] ?? '';
            const cut = after ? text.slice(0, start) + text.slice(n.getEnd() + after.length) : text.slice(0, text.lastIndexOf(',', start)) + text.slice(n.getEnd());
            faulty = cut;
          }
          return { description: `line ${declaration.getStartLineNumber()}: drop the import of ${n.getName()}`, faulty };
        });
    }),

  'misspelled-identifier': (sf, text) =>
    sf
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((id) => id.getText().length >= 4 && isReference(id) && declaredInRepository(id))
      .map((id) => {
        const name = id.getText();
        const at = Math.floor(name.length / 2);
        const ch = name[at];
        const replacement = /[a-y]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 1) : /[A-Y]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 1) : 'x';
        const misspelled = name.slice(0, at) + replacement + name.slice(at + 1);
        return {
          description: `line ${id.getStartLineNumber()}: ${name} → ${misspelled}`,
          faulty: text.slice(0, id.getStart()) + misspelled + text.slice(id.getEnd()),
        };
      }),

  'use-before-declaration': (sf, text) => {
    const statements = sf.getStatements();
    const sites: { description: string; faulty: string }[] = [];
    statements.forEach((statement, i) => {
      if (!Node.isVariableStatement(statement) || statement.getDeclarations().length !== 1) return;
      const name = statement.getDeclarations()[0].getName();
      const user = statements.slice(i + 1).find((s) => !Node.isFunctionDeclaration(s) && !Node.isClassDeclaration(s) && usesAtOnce(s, name));
      if (!user) return;
      const lines = text.split('\n');
      const from = statement.getStartLineNumber(true) - 1;
      const to = statement.getEndLineNumber() - 1;
      const userEnd = user.getEndLineNumber() - 1;
      const moved = lines.slice(from, to + 1);
      const rest = [...lines.slice(0, from), ...lines.slice(to + 1)];
      const insertAt = userEnd - moved.length + 1;
      sites.push({
        description: `line ${from + 1}: move ${name} below its use on line ${user.getStartLineNumber()}`,
        faulty: [...rest.slice(0, insertAt), ...moved, ...rest.slice(insertAt)].join('\n'),
      });
    });
    return sites;
  },

  'missing-await': (sf, text) =>
    sf
      .getDescendantsOfKind(SyntaxKind.AwaitExpression)
      .filter((a) => !Node.isExpressionStatement(a.getParent()) && !Node.isReturnStatement(a.getParent()))
      .map((a) => ({
        description: `line ${a.getStartLineNumber()}: drop await of ${a.getExpression().getText().slice(0, 40)}`,
        faulty: text.slice(0, a.getStart()) + text.slice(a.getExpression().getStart()),
      })),

  'async-await-mismatch': (sf, text) =>
    sf
      .getDescendants()
      .filter((n) => (Node.isFunctionDeclaration(n) || Node.isMethodDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n)) && n.isAsync())
      .filter((fn) => fn.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => a.getFirstAncestor((x) => Node.isFunctionLikeDeclaration(x) || Node.isArrowFunction(x)) === fn))
      .map((fn) => {
        const keyword = fn.getFirstDescendantByKindOrThrow(SyntaxKind.AsyncKeyword);
        const end = keyword.getEnd() + (text[keyword.getEnd()] === ' ' ? 1 : 0);
        return { description: `line ${fn.getStartLineNumber()}: drop async`, faulty: text.slice(0, keyword.getStart()) + text.slice(end) };
      }),
};

function usedAsValue(sf: SourceFile, name: string): boolean {
  return sf.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === name && isReference(id) && !id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration));
}

/** An identifier that refers to a binding: not a declaration's own name, not a property name. */
function isReference(id: Node): boolean {
  const parent = id.getParent();
  if (!parent) return false;
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) return false;
  if ((Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent) || Node.isMethodDeclaration(parent) || Node.isPropertySignature(parent)) && parent.getNameNode() === id) return false;
  if ((Node.isVariableDeclaration(parent) || Node.isFunctionDeclaration(parent) || Node.isClassDeclaration(parent) || Node.isParameterDeclaration(parent) || Node.isInterfaceDeclaration(parent) || Node.isTypeAliasDeclaration(parent) || Node.isEnumMember(parent)) && parent.getNameNode() === id) return false;
  if (Node.isImportSpecifier(parent) || Node.isBindingElement(parent) || Node.isShorthandPropertyAssignment(parent) || Node.isTypeReference(parent) || Node.isQualifiedName(parent)) return false;
  if (id.getFirstAncestor((a) => Node.isTypeNode(a))) return false;
  return true;
}

/** Named by this repository (a local binding or an import from it), not a global like `Math`. */
function declaredInRepository(id: Node): boolean {
  const sf = id.getSourceFile();
  const name = id.getText();
  const imported = sf.getImportDeclarations().some((d) => d.getNamedImports().some((n) => n.getName() === name));
  const local = sf.getDescendantsOfKind(SyntaxKind.Identifier).some((other) => other !== id && other.getText() === name && !isReference(other) && !Node.isPropertyAccessExpression(other.getParent()) && !Node.isPropertyAssignment(other.getParent()) && !Node.isMethodDeclaration(other.getParent()) && !Node.isPropertyDeclaration(other.getParent()));
  return imported || local;
}

/** Uses name while it runs (not only inside functions it defines). */
function usesAtOnce(statement: Node, name: string): boolean {
  return statement.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name || !isReference(id)) return false;
    return !id.getFirstAncestor((a) => (Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) && statement.containsRange(a.getPos(), a.getEnd()));
  });
}
