// Rewrites for runtime errors the compiler does not flag, read from the failure's message and
// stack: a declaration used before it runs (a `const` in its dead zone, a hoisted `var` still
// undefined), a name nobody imports or exports, an `await` in a function that is not async, and
// type errors in the code a failing test calls.
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { projectFor, type AnalysisProject } from '../analysis/project.js';
import type { Candidate, FileChange, Problem } from '../model.js';
import { candidateIdOf, contentKey, fixCandidate, locatedFiles, protectedBy, triedIds } from './candidate.js';
import { quickFixCandidates } from './codefix.js';
import { importClosure, importedErrors, unawaitedInitializers } from './rules-checked.js';
import { importFixes, missingNames, spellingFixes } from './rules-import.js';
import { hoistVarAboveUse, undefinedReads } from './rules-hoist.js';
import { moveAboveFirstUse } from './rules-tdz.js';
import type { PatchProvider, ProposeContext } from './types.js';

const MAX_CANDIDATES = 6;
// The runtime's words, and the compiler's (TS2448-2450: a package's pretest type-checks its bundle).
const TDZ = /Cannot access '([\w$]+)' before initialization|(?:Block-scoped variable|Class|Enum) '([\w$]+)' used before its declaration/g;
const AWAIT_OUTSIDE_ASYNC = /await is only valid in async functions|"await" can only be used inside an "async" function|'await' expressions are only allowed within async functions|TS1308/;
const NEAR_LINES = 3;

interface Fix {
  changes: FileChange[];
  title: string;
  subject: string;
  rootCause: string;
  rule: string;
}

export class RulesProvider implements PatchProvider {
  readonly name = 'rules';
  readonly deterministic = true;

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    const isProtected = protectedBy(ctx);
    const analysis = projectFor(ctx.root);
    analysis.refresh();
    const files = locatedFiles(problem, analysis);
    analysis.refresh(files);
    const text = [problem.message, ...problem.failures.flatMap((f) => [f.message, f.stack ?? ''])].join('\n');
    const tried = triedIds(ctx);
    let offered = 0;

    for (const fix of fixesFor(analysis, problem, files, text, isProtected)) {
      if (offered >= MAX_CANDIDATES || ctx.signal?.aborted) return;
      if (fix.changes.some((c) => isProtected(c.path))) continue;
      const id = candidateIdOf(this.name, fix.changes);
      if (tried.has(id)) continue;
      tried.add(id);
      tried.add(contentKey(fix.changes));
      offered++;
      yield fixCandidate(this.name, problem, fix.changes, { title: fix.title, rationale: `${problem.title}\nRule "${fix.rule}": ${fix.rootCause}.`, rootCause: fix.rootCause, subject: fix.subject }, id);
    }

    // Type errors in what the failing tests import: the language service's fixes, tried as ours.
    for (const location of importedErrors(analysis, problem, isProtected)) {
      if (offered >= MAX_CANDIDATES || ctx.signal?.aborted) return;
      const located: Problem = { ...problem, location, failures: [] };
      // One fix per error: the best the language service offers.
      const [candidate] = quickFixCandidates(located, ctx, 'codefix');
      // The same edit found by a rule above keeps the rule's id: one edit, one verification.
      if (!candidate || tried.has(candidate.id) || tried.has(contentKey(candidate.patch.changes))) continue;
      tried.add(candidate.id);
      offered++;
      yield {
        ...candidate,
        problemId: problem.id,
        provider: this.name,
        rationale: `A module the failing tests import has a type error.\n${candidate.rationale}`,
      };
    }
  }
}

function* fixesFor(analysis: AnalysisProject, problem: Problem, files: string[], text: string, isProtected: (file: string) => boolean): Generator<Fix> {
  for (const [, runtime, compiler] of text.matchAll(TDZ)) {
    const name = runtime ?? compiler;
    for (const file of files.filter((f) => !isProtected(f))) {
      const sf = analysis.sourceFile(file);
      const move = sf && moveAboveFirstUse(sf, name, stackLines(text, file));
      if (!sf || !move) continue;
      yield {
        rule: 'use before declaration',
        changes: [{ path: file, before: sf.getFullText(), after: move.after }],
        title: `Move the declaration of ${name} above line ${move.toLine} of ${file}`,
        subject: `declare ${name} before its first use${move.scope === 'module' ? '' : ` in ${move.scope}`}`,
        rootCause: `\`${name}\` (${file}:${move.fromLine}) is declared below \`${move.before.trim()}\`, which runs first`,
      };
    }
  }
  for (const property of undefinedReads(text)) {
    for (const file of files.filter((f) => !isProtected(f))) {
      const sf = analysis.sourceFile(file);
      const hoist = sf && hoistVarAboveUse(sf, property, stackLines(text, file));
      if (!sf || !hoist) continue;
      yield {
        rule: 'var read before its declaration',
        changes: [{ path: file, before: sf.getFullText(), after: hoist.after }],
        title: `Move the declaration of ${hoist.name} above line ${hoist.toLine} of ${file}`,
        subject: `declare ${hoist.name} before its first use${hoist.scope === 'module' ? '' : ` in ${hoist.scope}`}`,
        rootCause: `\`${hoist.name}\` (${file}:${hoist.fromLine}) is a \`var\` declared below \`${hoist.use.trim()}\`, which reads its \`${hoist.property}\` while it is still undefined`,
      };
    }
  }
  for (const name of missingNames(text)) {
    for (const file of files) {
      const sf = analysis.sourceFile(file);
      if (!sf) continue;
      const imports = importFixes(analysis, sf, name, isProtected);
      for (const fix of imports) yield { ...fix, rule: 'missing import or export' };
      if (imports.length === 0 && !isProtected(file)) for (const fix of spellingFixes(analysis, sf, name)) yield { ...fix, rule: 'misspelled name' };
    }
  }
  const checked = [...new Set([...files, ...importClosure(analysis, problem.testFiles).map((sf) => analysis.relative(sf.getFilePath()))])].filter((f) => !isProtected(f));
  for (const fix of unawaitedInitializers(analysis, checked)) {
    const where = fix.enclosing ? ` in ${fix.enclosing}()` : '';
    yield {
      rule: 'unawaited promise',
      changes: [{ path: fix.file, before: fix.before, after: fix.after }],
      title: `Await the initializer of ${fix.name} at ${fix.file}:${fix.line}`,
      subject: `await initializer of ${fix.name}${where}`,
      rootCause: `\`${fix.name}\` in ${fix.file}:${fix.line}${where} holds a Promise: its initializer is not awaited`,
    };
  }
  if (AWAIT_OUTSIDE_ASYNC.test(text)) {
    for (const file of files.filter((f) => !isProtected(f))) {
      const sf = analysis.sourceFile(file);
      const line = [problem.location, ...problem.failures.map((f) => f.location)].find((l) => l && analysis.relative(l.file) === file)?.line;
      if (sf) yield* asyncFixes(analysis, sf, line);
    }
  }
}

/** Lines of the stack's frames that point into file. */
function stackLines(text: string, file: string): number[] {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...text.matchAll(new RegExp(`${escaped}:(\\d+)(?::\\d+)?`, 'g'))].map((m) => Number(m[1]));
}

/** `async` added to the functions around awaits near line (anywhere in the file without a line). */
function* asyncFixes(analysis: AnalysisProject, sf: SourceFile, line: number | undefined): Generator<Fix> {
  const file = analysis.relative(sf.getFilePath());
  const text = sf.getFullText();
  const awaits = [
    ...sf.getDescendantsOfKind(SyntaxKind.AwaitExpression),
    ...sf.getDescendantsOfKind(SyntaxKind.ForOfStatement).filter((s) => s.isAwaited()),
  ].sort((a, b) => (line === undefined ? 0 : Math.abs(a.getStartLineNumber() - line) - Math.abs(b.getStartLineNumber() - line)));
  const seen = new Set<Node>();
  for (const node of awaits) {
    if (line !== undefined && Math.abs(node.getStartLineNumber() - line) > NEAR_LINES) continue;
    const fn = node.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isFunctionExpression(a) || Node.isArrowFunction(a) || Node.isMethodDeclaration(a));
    if (!fn || seen.has(fn) || !(Node.isFunctionDeclaration(fn) || Node.isFunctionExpression(fn) || Node.isArrowFunction(fn) || Node.isMethodDeclaration(fn))) continue;
    seen.add(fn);
    if (fn.isAsync()) continue;
    const at = asyncPosition(fn);
    const name = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? ownerName(fn) : fn.getName();
    yield {
      rule: 'await outside async',
      changes: [{ path: file, before: text, after: `${text.slice(0, at)}async ${text.slice(at)}` }],
      title: `Make ${name ? `${name}()` : 'the function'} at ${file}:${fn.getStartLineNumber()} async`,
      subject: name ? `make ${name}() async` : 'add missing async',
      rootCause: `\`await\` is used in ${file}:${node.getStartLineNumber()}${name ? ` in ${name}()` : ''}, which is not \`async\``,
    };
  }
}

function asyncPosition(fn: Node): number {
  if (Node.isMethodDeclaration(fn)) return (fn.getFirstChildByKind(SyntaxKind.AsteriskToken) ?? fn.getNameNode()).getStart();
  if (Node.isArrowFunction(fn)) return fn.getStart();
  return (fn.getFirstChildByKind(SyntaxKind.FunctionKeyword) ?? fn).getStart();
}

function ownerName(fn: Node): string | undefined {
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) return parent.getName();
  return undefined;
}
