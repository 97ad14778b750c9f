// For a file that does not parse: the smallest edits (one token in or out) that make it parse
// again without adding type errors. Semantic fixes on such a file are guesses built on a broken
// tree (see codefix), so this is the only provider that edits it.
import { execFileSync } from 'node:child_process';
import { Project, ts, type SourceFile } from 'ts-morph';
import { enclosingAt } from '../analysis/enclosing.js';
import { projectFor, type AnalysisProject } from '../analysis/project.js';
import type { Candidate, Problem } from '../model.js';
import { candidateIdOf, fixCandidate, locatedFiles, protectedBy, triedIds } from './candidate.js';
import { applyEdit, candidateEdits, parseErrors, type TokenEdit } from './syntax-edits.js';
import type { PatchProvider, ProposeContext } from './types.js';

const MAX_CANDIDATES = 3;
/** Edits that parse are type-checked in this order, at most this many. */
const MAX_CHECKED = 16;
/** Without a known error count to compare with, no type error may appear this close to the edit. */
const NEAR_LINES = 3;
const HISTORY_DEPTH = 20;

interface Trial {
  edit: TokenEdit;
  after: string;
  errors: number;
}

export class SyntaxProvider implements PatchProvider {
  readonly name = 'syntax';
  readonly deterministic = true;

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    const isProtected = protectedBy(ctx);
    const analysis = projectFor(ctx.root);
    const files = locatedFiles(problem, analysis).filter((file) => !isProtected(file));
    analysis.refresh();
    const tried = triedIds(ctx);
    for (const file of files) {
      if (ctx.signal?.aborted) return;
      analysis.refresh([file]);
      const sf = analysis.sourceFile(file);
      if (!sf) continue;
      const before = sf.getFullText();
      const errors = parseErrors(file, before);
      if (errors.length === 0) continue;
      for (const trial of repairs(analysis, sf, file, before, errors)) {
        const changes = [{ path: file, before, after: trial.after }];
        const id = candidateIdOf(this.name, changes);
        if (tried.has(id)) continue;
        const where = describeWhere(trial, file);
        const line = before.slice(0, trial.edit.start).split('\n').length;
        yield fixCandidate(this.name, problem, changes, {
          title: `${trial.edit.action === 'insert' ? 'Insert' : 'Delete'} '${trial.edit.token}' at ${file}:${line}`,
          rationale:
            `${file} does not parse: ${errors.map((e) => `TS${e.code} ${ts.flattenDiagnosticMessageText(e.messageText, ' ')}`).slice(0, 3).join('; ')}.\n` +
            `With one '${trial.edit.token}' ${trial.edit.action === 'insert' ? 'inserted' : 'deleted'} at line ${line} it parses, with ${trial.errors} type error(s) in the file.`,
          rootCause: `${file}:${line} ${rootCauseOf(trial.edit)}`,
          subject: subjectOf(trial.edit, where),
        });
      }
    }
  }
}

/** Edits that parse and add no type errors, best first: indentation-placed, fewest errors, nearest. */
function repairs(analysis: AnalysisProject, sf: SourceFile, file: string, before: string, errors: readonly ts.Diagnostic[]): Trial[] {
  const parsing = candidateEdits(before, errors, file)
    .map((edit) => ({ edit, after: applyEdit(before, edit) }))
    .filter(({ after }, i, all) => all.findIndex((o) => o.after === after) === i && parseErrors(file, after).length === 0)
    // "};" where "}" parses too is the same repair with an empty statement.
    .filter(({ edit }, _, all) => !all.some((o) => o.edit.start === edit.start && o.edit.guided && o.edit.inserted.length < edit.inserted.length))
    .sort((a, b) => Number(b.edit.guided) - Number(a.edit.guided) || a.edit.distance - b.edit.distance || a.edit.inserted.length - b.edit.inserted.length);
  if (parsing.length === 0) return [];
  const kept: Trial[] = [];
  const original = sf.getFilePath();
  try {
    const known = committedErrors(analysis, sf, file);
    for (const { edit, after } of parsing.slice(0, MAX_CHECKED)) {
      const found = semanticErrors(analysis, original, after);
      const line = after.slice(0, edit.start).split('\n').length;
      const acceptable = known !== undefined ? found.length <= known : found.every((d) => Math.abs(d.line - line) > NEAR_LINES);
      if (acceptable) kept.push({ edit, after, errors: found.length });
    }
  } finally {
    // The project stays a picture of the disk: the trial texts were never written.
    analysis.project.createSourceFile(original, before, { overwrite: true });
  }
  return kept
    .sort((a, b) => Number(b.edit.guided) - Number(a.edit.guided) || a.errors - b.errors || a.edit.distance - b.edit.distance)
    .slice(0, MAX_CANDIDATES);
}

/** Type errors of the file with its text replaced (the caller restores it). */
function semanticErrors(analysis: AnalysisProject, filePath: string, text: string): { line: number }[] {
  const replaced = analysis.project.createSourceFile(filePath, text, { overwrite: true });
  return analysis.languageService
    .getSemanticDiagnostics(replaced.getFilePath())
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined)
    .map((d) => ({ line: replaced.getLineAndColumnAtPos(d.start!).line }));
}

/** The type-error count of the file's latest committed version that parses, when git has one. */
function committedErrors(analysis: AnalysisProject, sf: SourceFile, file: string): number | undefined {
  const git = (args: string[]) => execFileSync('git', args, { cwd: analysis.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  let shas: string[];
  try {
    shas = git(['log', `-n${HISTORY_DEPTH}`, '--format=%H', '--', file]).split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
  for (const sha of shas) {
    let text: string;
    try {
      text = git(['show', `${sha}:${file}`]);
    } catch {
      continue;
    }
    if (parseErrors(file, text).length === 0) return semanticErrors(analysis, sf.getFilePath(), text).length;
  }
  return undefined;
}

const NAMES: Record<string, string> = { '}': 'block', ')': 'parenthesis', ']': 'bracket' };

/** Only parses the repaired text to name the declaration it is in: no program, no disk. */
let scratch: Project | undefined;

function describeWhere(trial: Trial, file: string): string {
  scratch ??= new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const sf = scratch.createSourceFile(`/scratch/${file.replace(/^.*\//, '')}`, trial.after, { overwrite: true });
  const found = enclosingAt(sf, Math.max(0, trial.edit.start - 1));
  return found?.name ? ` in ${found.name}${found.callable ? '()' : ''}` : '';
}

function subjectOf(edit: TokenEdit, where: string): string {
  const subject = (() => {
    if (edit.action === 'delete') return `remove the stray '${edit.token}'`;
    if (edit.token === ';') return 'add the missing semicolon';
    if (edit.token === ',') return 'add the missing comma';
    if (!(edit.token in NAMES)) return `add the missing '${edit.token}'`;
    return `close the unclosed ${NAMES[edit.token]}`;
  })();
  return (subject + where).length <= 72 ? subject + where : subject;
}

function rootCauseOf(edit: TokenEdit): string {
  if (edit.action === 'delete') return `holds a stray '${edit.token}' the parser cannot place`;
  if (edit.token in NAMES) return `is missing the '${edit.token}' that closes a ${NAMES[edit.token]}`;
  return `is missing a '${edit.token}'`;
}
