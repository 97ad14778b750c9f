// The cheapest provider: the TypeScript language service's own quick fixes (add the missing import,
// correct the spelling, add the missing await) for the diagnostics at a problem's location.
// Over 300 lines: the provider and the choice of which diagnostics and fixes to try belong together;
// describing and styling the fixes are split out (codefix-describe.ts, codefix-style.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ts, type Node, type SourceFile } from 'ts-morph';
import { enclosingAt } from '../analysis/enclosing.js';
import { flatten, projectFor, SOURCE_FILE, type AnalysisProject } from '../analysis/project.js';
import type { Candidate, FileChange, Problem, SourceLocation } from '../model.js';
import { combinedFix, combinedIdOf, errorsLeft, promisedVariable } from './codefix-combined.js';
import { rootCauseOf, subjectOf, tierOf, type FoundFix } from './codefix-describe.js';
import { formatSettingsFor, preferencesFor } from './codefix-style.js';
import { candidateIdOf, fixCandidate, protectedBy, triedIds } from './candidate.js';
import type { PatchProvider, ProposeContext } from './types.js';

/** Diagnostics this many lines around the location are taken to be the failure's. */
const NEAR_LINES = 2;
const MAX_DIAGNOSTICS = 20;
/** Errors of the whole file asked for their fixes, to find what a combined fix would answer. */
const MAX_FILE_DIAGNOSTICS = 50;
const MAX_CANDIDATES = 8;
/** "Could not find name": what TypeScript reports in JS files that are not type-checked. */
const UNCHECKED_JS_NAME_CODE = 2570;
const CANNOT_FIND_NAME = 2304;

interface Span {
  code: number;
  start: number;
  length: number;
  message: string;
}

interface Ranked {
  found: FoundFix;
  /** Sort key, compared element by element. */
  key: number[];
}

export class CodefixProvider implements PatchProvider {
  readonly name = 'codefix';
  readonly deterministic = true;

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    yield* quickFixCandidates(problem, ctx, this.name);
  }
}

/**
 * The language service's fixes for the diagnostics at the problem's location, best first, as
 * candidates of `provider` with codefix ids (the rules provider asks for them too).
 */
export function* quickFixCandidates(problem: Problem, ctx: ProposeContext, provider: string): Generator<Candidate> {
  const isProtected = protectedBy(ctx);
  const analysis = projectFor(ctx.root);
  const targets = targetsOf(problem, analysis, isProtected);
  if (targets.length === 0) return;
  // A cheap stat sweep catches checkouts between iterations; the targets are re-read regardless.
  analysis.refresh();
  analysis.refresh(targets.map((t) => t.file));

  const ranked: Ranked[] = [];
  for (const [index, target] of targets.entries()) {
    if (ctx.signal?.aborted) return;
    ranked.push(...fixesAt(analysis, target, index, problem));
  }
  ranked.sort((a, b) => compareKeys(a.key, b.key));

  const withChanges = ranked.map(({ found }) => {
    const changes = changesOf(analysis, found);
    return { found, changes, id: changes && candidateId(changes) };
  });
  // A combined fix that edits exactly what a single fix does is that single fix, under its own title.
  const singles = new Set(withChanges.filter((c) => !c.found.combined).map((c) => c.id));
  const tried = triedIds(ctx);
  const offered = new Set<string>();
  const titles = new Set<string>();
  for (const { found, changes, id } of withChanges) {
    if (offered.size >= MAX_CANDIDATES || ctx.signal?.aborted) return;
    if (!changes || !id || changes.some((change) => isProtected(change.path))) continue;
    if (found.combined && singles.has(id)) continue;
    // One description, one candidate: the same edit found from a second diagnostic is noise.
    if (tried.has(id) || offered.has(id) || titles.has(found.fix.description)) continue;
    offered.add(id);
    titles.add(found.fix.description);
    yield fixCandidate(provider, problem, changes, { title: found.fix.description, rationale: rationaleOf(found), rootCause: rootCauseOf(found), subject: subjectOf(found) }, id);
  }
}

function rationaleOf(found: FoundFix): string {
  const head = `TS${found.code} at ${found.file}:${found.line}:${found.column}: ${found.message}\n`;
  if (!found.combined) {
    return head + `The TypeScript language service offers the code fix "${found.fix.description}" (${found.fix.fixName}).`;
  }
  const { sites, singleDescription, fixId, left } = found.combined;
  const lines = [...new Set(sites.map((s) => s.line))].join(', ');
  const errors = (n: number) => `${n} error${n === 1 ? '' : 's'}`;
  const outcome = !left
    ? ''
    : left.single === undefined
      ? ` It leaves ${errors(left.combined)} in the file; the single fix leaves it unparsable.`
      : ` It leaves ${errors(left.combined)} in the file, the single fix ${left.single}.`;
  return (
    head +
    `The TypeScript language service offers the code fix "${singleDescription}" (${found.fix.fixName}); ` +
    `its combined fix "${found.fix.description}" (${fixId}) applies it across ${found.file}, ` +
    `to ${errors(sites.length)} (lines ${lines}).${outcome}`
  );
}

/** Same edit, same id: history can then recognise a candidate that was already tried. */
export function candidateId(changes: FileChange[]): string {
  return candidateIdOf('codefix', changes);
}

/**
 * The problem's location, and when that file is protected (a test), the other failure locations
 * outside protected paths: the cause may sit in the source the test calls. Fixes found in a
 * protected file are still kept when their edits land elsewhere (e.g. exporting a name).
 */
function targetsOf(problem: Problem, analysis: AnalysisProject, isProtected: (path: string) => boolean): SourceLocation[] {
  const usable = (loc?: SourceLocation): loc is SourceLocation =>
    loc !== undefined && SOURCE_FILE.test(loc.file) && analysis.isInside(loc.file);
  if (!usable(problem.location)) return [];
  const first = { ...problem.location, file: analysis.relative(problem.location.file) };
  const targets = [first];
  if (!isProtected(first.file)) return targets;
  for (const failure of problem.failures) {
    const loc = failure.location;
    if (!usable(loc)) continue;
    const file = analysis.relative(loc.file);
    if (!isProtected(file) && !targets.some((t) => t.file === file)) targets.push({ ...loc, file });
  }
  return targets;
}

function fixesAt(analysis: AnalysisProject, target: SourceLocation, index: number, problem: Problem): Ranked[] {
  const found = analysis.rawDiagnostics(target.file);
  const sf = analysis.sourceFile(target.file);
  // Semantic fixes on a file that does not parse are guesses built on a broken tree.
  if (!found || !sf || found.kind === 'syntactic') return [];
  const text = sf.getFullText();
  const errors = errorSpans(found.diagnostics);
  const spans = withCompilerErrors(sf, target, problem, withReportedNames(sf, target, problem, nearest(sf, target, errors)));
  const format = formatSettingsFor(text);
  const preferences = preferencesFor(sf, analysis);
  const mentioned = problemText(problem);
  const cache = new Map<string, readonly ts.CodeFixAction[]>();
  const fixesFor = (span: Span): readonly ts.CodeFixAction[] => {
    const cacheKey = `${span.start}:${span.length}:${span.code}`;
    let fixes = cache.get(cacheKey);
    if (!fixes) {
      try {
        fixes = analysis.languageService.getCodeFixesAtPosition(sf.getFilePath(), span.start, span.start + span.length, [span.code], format, preferences);
      } catch {
        fixes = []; // a fix provider's internal assertion is no reason to give up the others
      }
      cache.set(cacheKey, fixes);
    }
    return fixes;
  };
  // Variables holding an unawaited Promise with more than one error among their uses: awaiting one
  // use leaves the others broken, so that fix is not offered; awaiting the initializer (the
  // language service's own fix, or the rules provider's) mends them all.
  // Counted on the first missing-await fix only: resolving every error's variable costs checker queries.
  let promised: Map<Node, number> | undefined;
  const brokenUses = (pos: number): number => {
    if (!promised) {
      promised = new Map();
      for (const e of errors) {
        const variable = promisedVariable(sf, e.start);
        if (variable) promised.set(variable, (promised.get(variable) ?? 0) + 1);
      }
    }
    const variable = promisedVariable(sf, pos);
    return variable ? promised.get(variable) ?? 0 : 0;
  };
  const combinedTried = new Set<string>();
  const pending: { combined: Ranked; single: FoundFix }[] = [];
  const ranked: Ranked[] = [];
  for (const span of spans) {
    const fixes = fixesFor(span);
    const { line, column } = sf.getLineAndColumnAtPos(span.start);
    const spanText = text.slice(span.start, span.start + span.length);
    const enclosing = enclosingAt(sf, span.start);
    for (const fix of fixes) {
      const tier = tierOf(fix);
      if (tier === undefined) continue;
      if (fix.fixName === 'addMissingAwait' && brokenUses(span.start) > 1) continue;
      // `opus = …` with `opts` in scope is a misspelled assignment: declaring `const opus` there
      // drops what the assignment was for, and its verification comes out partial at best.
      if (fix.fixName === 'addMissingConst' && nearMissInScope(sf, span.start, spanText)) continue;
      const named = enclosing?.name ? { name: enclosing.name, callable: enclosing.callable } : undefined;
      const isMentioned = /^[\w$]+$/.test(spanText) && new RegExp(`(^|[^\\w$])${escape(spanText)}($|[^\\w$])`).test(mentioned);
      const single: FoundFix = { fix, code: span.code, message: span.message, file: target.file, line, column, spanText, enclosing: named };
      // The name the runtime error quotes first, then the kind of fix, then closeness to the location.
      // Awaiting a Promise where it is created mends every use; awaiting at one use leaves the others.
      const key = [isMentioned ? 0 : 1, tier, fix.fixName === 'addMissingAwait' ? 1 : 0, index, Math.abs(line - target.line), ranked.length];
      // The combined fix goes right before its single fix: it exists only when the file holds more
      // errors the same fix answers, and then the single fix would leave those failing.
      ranked.push({ found: single, key: [...key, 1] });
      const combinedKey = `${combinedIdOf(fix)}\0${fix.fixName === 'spelling' ? `${spanText}\0${fix.description}` : ''}`;
      if (combinedIdOf(fix) === undefined || combinedTried.has(combinedKey)) continue;
      combinedTried.add(combinedKey);
      const combined = combinedFix({ languageService: analysis.languageService, sf, found: single, span, diagnostics: errors.slice(0, MAX_FILE_DIAGNOSTICS), fixesFor, format, preferences });
      if (combined && tierOf(combined.fix) !== undefined) pending.push({ combined: { found: combined, key: [...key, 0] }, single });
    }
  }
  return [...ranked, ...improving(analysis, sf.getFilePath(), target.file, text, pending)];
}

/**
 * The combined fixes that stay inside the file, parse, and leave fewer errors in it than their single
 * fix does: only those can spare the loop an iteration. (Checking replaces the file's SourceFile, so
 * this runs after every use of it.)
 */
function improving(analysis: AnalysisProject, filePath: string, file: string, text: string, pending: { combined: Ranked; single: FoundFix }[]): Ranked[] {
  const inFile = pending.filter(({ combined }) => combined.found.fix.changes.every((c) => path.resolve(c.fileName) === filePath && !c.isNewFile));
  if (inFile.length === 0) return [];
  const afterOf = (found: FoundFix) => applyEdits(text, found.fix.changes.filter((c) => path.resolve(c.fileName) === filePath).flatMap((c) => c.textChanges));
  const texts = inFile.flatMap(({ combined, single }) => [afterOf(combined.found), afterOf(single)]);
  const left = errorsLeft(analysis, file, text, texts);
  const kept: Ranked[] = [];
  for (const [i, { combined }] of inFile.entries()) {
    const [withCombined, withSingle] = [left[2 * i], left[2 * i + 1]];
    if (withCombined === undefined || withCombined >= (withSingle ?? Infinity) || !combined.found.combined) continue;
    combined.found.combined.left = { combined: withCombined, single: withSingle };
    kept.push(combined);
  }
  return kept;
}

/** The file's errors (and in unchecked JS its "could not find name"), as spans. */
function errorSpans(diagnostics: readonly ts.Diagnostic[]): Span[] {
  return diagnostics
    .filter((d) => d.start !== undefined && d.length !== undefined && (d.category === ts.DiagnosticCategory.Error || d.code === UNCHECKED_JS_NAME_CODE))
    .map((d) => ({ code: d.code, start: d.start!, length: d.length!, message: flatten(d.messageText) }));
}

/** Errors within NEAR_LINES of the location; when there are none there, the whole file's. */
function nearest(sf: SourceFile, target: SourceLocation, spans: Span[]): Span[] {
  const near = spans.filter((s) => Math.abs(sf.getLineAndColumnAtPos(s.start).line - target.line) <= NEAR_LINES);
  return (near.length > 0 ? near : spans).slice(0, MAX_DIAGNOSTICS);
}

/**
 * "ReferenceError: join is not defined" names what TypeScript does not report in unchecked JS:
 * such a name near the location is handed to the language service as "Cannot find name".
 */
function withReportedNames(sf: SourceFile, target: SourceLocation, problem: Problem, spans: Span[]): Span[] {
  const names = new Set([...problemText(problem).matchAll(/([A-Za-z_$][\w$]*) is not defined/g)].map((m) => m[1]));
  const added: Span[] = [];
  for (const name of names) {
    const uses = sf
      .getDescendantsOfKind(ts.SyntaxKind.Identifier)
      .filter((id) => id.getText() === name && Math.abs(id.getStartLineNumber() - target.line) <= NEAR_LINES)
      .sort((a, b) => Math.abs(a.getStartLineNumber() - target.line) - Math.abs(b.getStartLineNumber() - target.line));
    const use = uses[0];
    if (!use || spans.some((s) => s.start === use.getStart())) continue;
    added.push({ code: CANNOT_FIND_NAME, start: use.getStart(), length: name.length, message: `Cannot find name '${name}'.` });
  }
  return [...added, ...spans];
}

/**
 * A compiler error the failure quotes that the language service does not report here: a package's
 * pretest type-checks its bundle (`dist/esm/index.js(37,22): error TS8024: JSDoc '@param' tag has
 * name 'rulesDonfig' …`), the failure is located at the source line the bundle copied
 * (runners/build-output.ts), and there, in unchecked JS, TypeScript says nothing. The error is
 * handed to the language service at the name it quotes on the target line.
 */
function withCompilerErrors(sf: SourceFile, target: SourceLocation, problem: Problem, spans: Span[]): Span[] {
  const line = sf.getFullText().split('\n')[target.line - 1];
  if (line === undefined) return spans;
  const lineStart = sf.compilerNode.getPositionOfLineAndCharacter(target.line - 1, 0);
  const added: Span[] = [];
  for (const [, code, message] of problemText(problem).matchAll(/\berror TS(\d+): ([^\n]*)/g)) {
    if (spans.some((s) => s.code === Number(code)) || added.some((s) => s.code === Number(code))) continue;
    for (const [, name] of message.matchAll(/'([A-Za-z_$][\w$]*)'/g)) {
      const at = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).exec(line);
      if (!at) continue;
      added.push({ code: Number(code), start: lineStart + at.index, length: name.length, message: message.trim() });
      break;
    }
  }
  return [...added, ...spans];
}

/** Every edit of one fix, as whole files; undefined when it reaches outside the repository. */
function changesOf(analysis: AnalysisProject, found: FoundFix): FileChange[] | undefined {
  const byFile = new Map<string, { isNewFile: boolean; edits: ts.TextChange[] }>();
  for (const change of found.fix.changes) {
    const entry = byFile.get(change.fileName) ?? { isNewFile: !!change.isNewFile, edits: [] };
    entry.edits.push(...change.textChanges);
    byFile.set(change.fileName, entry);
  }
  const changes: FileChange[] = [];
  for (const [fileName, { isNewFile, edits }] of byFile) {
    const abs = path.resolve(fileName);
    const rel = analysis.relative(abs);
    if (!analysis.isInside(abs) || rel.split('/').includes('node_modules')) return undefined;
    const before = isNewFile ? null : currentText(analysis, abs);
    if (before === undefined) return undefined;
    const after = applyEdits(before ?? '', edits);
    if (after !== before) changes.push({ path: rel, before, after });
  }
  return changes.length > 0 ? changes : undefined;
}

function currentText(analysis: AnalysisProject, abs: string): string | undefined {
  const loaded = analysis.project.getSourceFile(abs);
  if (loaded) return loaded.getFullText();
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The edits of one fix all refer to the original text: applied from the last span to the first,
 * each lands where it was meant. The sort is stable, so two inserts at one point keep their order.
 */
export function applyEdits(text: string, edits: readonly { span: { start: number; length: number }; newText: string }[]): string {
  const ordered = [...edits].sort((a, b) => a.span.start - b.span.start);
  let result = text;
  for (let i = ordered.length - 1; i >= 0; i--) {
    const { span, newText } = ordered[i];
    result = result.slice(0, span.start) + newText + result.slice(span.start + span.length);
  }
  return result;
}

/** What the failure said, without file paths: "greet" in "src/greet.ts:4" is not a mention. */
function problemText(problem: Problem): string {
  return [problem.message, ...problem.failures.map((f) => f.message)].join('\n').replace(/\S+\.[cm]?[jt]sx?\b(?::\d+)*/g, ' ');
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function escape(text: string): string {
  return text.replace(/[$]/g, '\\$');
}

/** A variable in scope at `pos` whose name is one or two edits from `name` (length 3 or more). */
function nearMissInScope(sf: SourceFile, pos: number, name: string): boolean {
  if (name.length < 3) return false;
  const node = sf.getDescendantAtPos(pos);
  if (!node) return false;
  const checker = sf.getProject().getTypeChecker().compilerObject;
  const symbols = checker.getSymbolsInScope(node.compilerNode, ts.SymbolFlags.Variable);
  return symbols.some((s) => s.name !== name && s.name.length >= 3 && editDistance(s.name, name) <= 2);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
