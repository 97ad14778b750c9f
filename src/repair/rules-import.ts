// "X is not defined", "X is not a function", "does not provide an export named 'X'": a name the
// code uses that no import brings in. Either another module of the repository exports it (add
// the import), or the imported module declares it without exporting it or exports a near-identical
// name (export it, or correct the name on the side that is not protected).
import path from 'node:path';
import { Node, SyntaxKind, ts, type ImportDeclaration, type SourceFile } from 'ts-morph';
import type { AnalysisProject } from '../analysis/project.js';
import type { FileChange } from '../model.js';

export interface ImportFix {
  changes: FileChange[];
  title: string;
  subject: string;
  rootCause: string;
}

/** Runtime messages that name a missing binding. */
export function missingNames(text: string): string[] {
  const names = [
    ...[...text.matchAll(/(?:^|[^\w$.])([A-Za-z_$][\w$]*) is not (?:defined|a function|a constructor)/g)].map((m) => m[1]),
    // vitest calls an imported function through its module object: "__vi_import_0__.greet is not a function".
    ...[...text.matchAll(/__vi_import_\d+__\.([\w$]+)\)? is not a (?:function|constructor)/g)].map((m) => m[1]),
    ...[...text.matchAll(/does not provide an export named '([\w$]+)'/g)].map((m) => m[1]),
  ];
  return [...new Set(names)];
}

/** Fixes for name used in sf, best first. */
export function importFixes(analysis: AnalysisProject, sf: SourceFile, name: string, isProtected: (file: string) => boolean): ImportFix[] {
  const file = analysis.relative(sf.getFilePath());
  const imported = sf.getImportDeclarations().find((d) => d.getNamedImports().some((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name));
  if (imported) return exportFixes(analysis, sf, imported, name, isProtected);
  if (declaresLocally(sf, name)) return [];
  const fixes: ImportFix[] = [];
  for (const other of analysis.project.getSourceFiles()) {
    const rel = analysis.relative(other.getFilePath());
    if (other === sf || !analysis.isInside(rel) || rel.split('/').includes('node_modules') || isProtected(rel)) continue;
    const exported = other.getExportedDeclarations().get(name);
    if (!exported?.some((d) => !Node.isInterfaceDeclaration(d) && !Node.isTypeAliasDeclaration(d))) continue;
    const specifier = specifierFor(sf, other);
    fixes.push({
      changes: [{ path: file, before: sf.getFullText(), after: withImport(sf, name, specifier) }],
      title: `Add import of ${name} from "${specifier}"`,
      subject: `import missing ${name}`,
      rootCause: `\`${name}\` is used in ${file} but never imported; ${rel} exports it`,
    });
  }
  // Nearer modules first: a sibling is likelier meant than a far-away namesake.
  return fixes.sort((a, b) => a.title.split('/').length - b.title.split('/').length);
}

function declaresLocally(sf: SourceFile, name: string): boolean {
  return sf.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => {
    if (id.getText() !== name) return false;
    const parent = id.getParent();
    if (Node.isImportClause(parent) || Node.isNamespaceImport(parent)) return true;
    if (Node.isImportSpecifier(parent)) return (parent.getAliasNode() ?? parent.getNameNode()) === id;
    return (Node.isVariableDeclaration(parent) || Node.isFunctionDeclaration(parent) || Node.isClassDeclaration(parent) || Node.isParameterDeclaration(parent)) && parent.getNameNode() === id;
  });
}

/** name is imported from a repository module that does not export it. */
function exportFixes(analysis: AnalysisProject, sf: SourceFile, declaration: ImportDeclaration, name: string, isProtected: (file: string) => boolean): ImportFix[] {
  const target = declaration.getModuleSpecifierSourceFile();
  if (!target || !analysis.isInside(target.getFilePath())) return [];
  const specifier = declaration.getNamedImports().find((n) => (n.getAliasNode() ?? n.getNameNode()).getText() === name)!;
  const importedName = specifier.getName();
  if (target.getExportedDeclarations().has(importedName)) return [];
  const targetFile = analysis.relative(target.getFilePath());
  const file = analysis.relative(sf.getFilePath());
  const fixes: ImportFix[] = [];
  const local = target.getStatements().find((s) => (Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s) || Node.isEnumDeclaration(s) || Node.isVariableStatement(s)) && declaredNames(s).includes(importedName));
  if (local && !isProtected(targetFile)) {
    const text = target.getFullText();
    const at = local.getStart();
    fixes.push({
      changes: [{ path: targetFile, before: text, after: `${text.slice(0, at)}export ${text.slice(at)}` }],
      title: `Export ${importedName} from ${targetFile}`,
      subject: `export ${importedName}`,
      rootCause: `${file} imports \`${importedName}\` from ${targetFile}, which declares it without exporting it`,
    });
  }
  const near = [...target.getExportedDeclarations().keys()].filter((n) => n !== 'default' && isNear(n, importedName));
  for (const meant of near) {
    if (!isProtected(file)) {
      fixes.push({
        changes: [{ path: file, before: sf.getFullText(), after: renamed(sf, new Set([importedName]), importedName, meant) }],
        title: `Change ${importedName} to ${meant} in ${file}`,
        subject: `fix misspelled ${importedName}`,
        rootCause: `${file} imports \`${importedName}\` from ${targetFile}, which exports \`${meant}\``,
      });
    } else if (!isProtected(targetFile)) {
      // The protected importer (a test) states the name the module must export.
      fixes.push({
        changes: [{ path: targetFile, before: target.getFullText(), after: renamed(target, new Set([meant]), meant, importedName) }],
        title: `Rename export ${meant} to ${importedName} in ${targetFile}`,
        subject: `rename ${meant} to ${importedName}`,
        rootCause: `${file} imports \`${importedName}\` from ${targetFile}, which exports it as \`${meant}\``,
      });
    }
  }
  return fixes;
}

function declaredNames(statement: Node): string[] {
  if (Node.isVariableStatement(statement)) return statement.getDeclarations().map((d) => d.getName());
  if (Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement) || Node.isEnumDeclaration(statement)) return [statement.getName() ?? ''];
  return [];
}

/** Identifiers spelled `from` (not property names) replaced by `to`. */
function renamed(sf: SourceFile, names: Set<string>, from: string, to: string): string {
  const text = sf.getFullText();
  const spans = sf
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((id) => names.has(id.getText()) && !isMemberName(id))
    .map((id) => id.getStart())
    .sort((a, b) => b - a);
  let result = text;
  for (const start of spans) result = result.slice(0, start) + to + result.slice(start + from.length);
  return result;
}

function isMemberName(id: Node): boolean {
  const parent = id.getParent();
  if (Node.isPropertyAccessExpression(parent)) return parent.getNameNode() === id;
  if (Node.isPropertyAssignment(parent) || Node.isMethodDeclaration(parent) || Node.isPropertyDeclaration(parent)) return parent.getNameNode() === id;
  return false;
}

/** One edit apart (insert, delete, replace or swap two neighbours), or differing only in case. */
export function isNear(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string) => x === y;
  return (
    tail(a.slice(i + 1), b.slice(i + 1)) ||
    tail(a.slice(i + 1), b.slice(i)) ||
    tail(a.slice(i), b.slice(i + 1)) ||
    (a[i] === b[i + 1] && a[i + 1] === b[i] && tail(a.slice(i + 2), b.slice(i + 2)))
  );
}

/** A relative specifier in the file's own style: ".js" endings (NodeNext), none, or ".ts". */
function specifierFor(sf: SourceFile, target: SourceFile): string {
  let rel = path.relative(path.dirname(sf.getFilePath()), target.getFilePath()).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const relative = sf.getImportDeclarations().map((d) => d.getModuleSpecifierValue()).filter((s) => s.startsWith('.'));
  const noExtension = relative.length > 0 && relative.every((s) => !/\.[cm]?[jt]sx?$/.test(s));
  const tsExtension = relative.some((s) => /\.tsx?$/.test(s));
  if (noExtension) return rel.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
  if (tsExtension) return rel;
  return rel.replace(/\.ts$/, '.js').replace(/\.tsx$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
}

/** sf's text with name imported from specifier: into an existing import of it, else a new line after the imports. */
function withImport(sf: SourceFile, name: string, specifier: string): string {
  const text = sf.getFullText();
  const existing = sf.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === specifier && !d.isTypeOnly() && d.getNamedImports().length > 0);
  if (existing) {
    const last = existing.getNamedImports().at(-1)!;
    return `${text.slice(0, last.getEnd())}, ${name}${text.slice(last.getEnd())}`;
  }
  const quote = /^import[^\n]*"/m.test(text) && !/^import[^\n]*'/m.test(text) ? '"' : "'";
  const semi = /^import[^\n]*;\s*$/m.test(text) || !/^import /m.test(text) ? ';' : '';
  const line = `import { ${name} } from ${quote}${specifier}${quote}${semi}\n`;
  const imports = sf.getImportDeclarations();
  if (imports.length === 0) return line + (text.startsWith('\n') ? '' : '\n') + text;
  const end = imports.at(-1)!.getEnd();
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd === -1 ? text.length : lineEnd + 1;
  return text.slice(0, at) + line + text.slice(at);
}

/**
 * "lioe is not defined" where a binding one letter away is in scope (a parameter, a local, an
 * imported function): the language service suggests no spelling for short names or keyword-like
 * ones (`from`), nor for one substituted letter in a four-letter name (`coee` for `code`).
 */
export function spellingFixes(analysis: AnalysisProject, sf: SourceFile, name: string): ImportFix[] {
  const uses = sf.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name && !isMemberName(id) && id.getSymbol() === undefined);
  if (uses.length === 0) return [];
  const checker = analysis.project.getTypeChecker().compilerObject;
  // Imported names are aliases: a value import counts, a type-only one does not.
  const inScope = checker
    .getSymbolsInScope(uses[0].compilerNode, ts.SymbolFlags.Value | ts.SymbolFlags.Alias)
    .filter((s) => !(s.flags & ts.SymbolFlags.Alias) || checker.getAliasedSymbol(s).flags & ts.SymbolFlags.Value)
    .map((s) => s.getName());
  const file = analysis.relative(sf.getFilePath());
  const text = sf.getFullText();
  return [...new Set(inScope.filter((candidate) => isNear(candidate, name)))].sort().map((meant) => {
    let after = text;
    for (const use of [...uses].sort((a, b) => b.getStart() - a.getStart())) after = after.slice(0, use.getStart()) + meant + after.slice(use.getEnd());
    return {
      changes: [{ path: file, before: text, after }],
      title: `Change spelling of ${name} to ${meant} in ${file}`,
      subject: `fix misspelled ${name}`,
      rootCause: `\`${name}\` in ${file}:${uses[0].getStartLineNumber()} is a misspelling of \`${meant}\``,
    };
  });
}
