// The Python tier of the deterministic repairs: one provider for files that do not compile
// (a late `global`, a missing ':' or bracket or comma, a stray or missing indent) and one for
// runtime errors in files that do (NameError, ImportError, UnboundLocalError, a coroutine never
// awaited). Both ask one helper.py, run with the suite's own Python, started on the first
// Python problem of the run and ended with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Candidate, Problem, SourceLocation } from '../../model.js';
import { pythonFrames } from '../../runners/pytest/text.js';
import { candidateIdOf, contentKey, fixCandidate, protectedBy, triedIds } from '../candidate.js';
import type { PatchProvider, ProposeContext, ProviderSummary } from '../types.js';
import { PythonHelper, PythonUnavailableError } from './client.js';
import { suitePython, type SuiteLike } from './interpreter.js';

const MAX_CANDIDATES = 6;
/** Rules whose fix adds what is missing come before those that rename what is there. */
const RENAMES = new Set(['misspelled name', 'misspelled import']);

export interface PythonFix {
  after: string;
  rule: string;
  title: string;
  subject: string;
  rootCause: string;
}

/** Shared by the providers of one run: one interpreter, one process. */
export class PythonSession {
  private helper?: PythonHelper;
  private warned = false;
  readonly python: (root: string) => string;

  constructor(suites: readonly SuiteLike[] = [], python?: string) {
    this.python = (root) => python ?? suitePython(suites, root);
  }

  helperFor(root: string): PythonHelper {
    const python = this.python(root);
    if (!this.helper || this.helper.python !== python) {
      this.helper?.stop();
      this.helper = new PythonHelper(python);
    }
    return this.helper;
  }

  /** The helper's answer, or [] when Python is unavailable (said once, on stderr). */
  async ask(root: string, op: string, args: Record<string, unknown>): Promise<PythonFix[]> {
    try {
      return await this.helperFor(root).request<PythonFix[]>(op, { root, ...args });
    } catch (err) {
      if (err instanceof PythonUnavailableError) {
        if (!this.warned) process.stderr.write(`fixloop: ${err.message}\n`);
        this.warned = true;
        return [];
      }
      // One file the helper cannot read is no reason to stop the others.
      return [];
    }
  }

  stop(): void {
    this.helper?.stop();
  }
}

/** The Python files a problem names, with the line named in each, innermost first. */
export function pythonLocations(problem: Problem, root: string): SourceLocation[] {
  const found: SourceLocation[] = [];
  const add = (loc: SourceLocation | undefined) => {
    if (loc && loc.file.endsWith('.py') && !found.some((f) => f.file === loc.file)) found.push(loc);
  };
  add(problem.location);
  for (const failure of problem.failures) {
    add(failure.location);
    for (const frame of pythonFrames(failure.stack ?? '', { root, runDir: root })) add(frame);
  }
  return found.filter((loc) => !path.isAbsolute(loc.file) && !loc.file.startsWith('../'));
}

abstract class PythonProviderBase implements PatchProvider {
  abstract readonly name: string;
  constructor(readonly session: PythonSession) {}

  protected abstract fixes(problem: Problem, ctx: ProposeContext, files: SourceLocation[]): Promise<PythonFix[]>;

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    const isProtected = protectedBy(ctx);
    const files = pythonLocations(problem, ctx.root).filter((loc) => !isProtected(loc.file));
    if (files.length === 0) return;
    const tried = triedIds(ctx);
    let offered = 0;
    for (const { file, fix } of await this.collect(problem, ctx, files)) {
      if (offered >= MAX_CANDIDATES || ctx.signal?.aborted) return;
      let before: string;
      try {
        before = readFileSync(path.join(ctx.root, file), 'utf8');
      } catch {
        continue;
      }
      const changes = [{ path: file, before, after: fix.after }];
      const id = candidateIdOf(this.name, changes);
      if (tried.has(id) || tried.has(contentKey(changes))) continue;
      tried.add(id);
      offered++;
      yield fixCandidate(this.name, problem, changes, { title: fix.title, rationale: `${problem.title}\nRule "${fix.rule}": ${fix.rootCause}.`, rootCause: fix.rootCause, subject: fix.subject }, id);
    }
  }

  private async collect(problem: Problem, ctx: ProposeContext, files: SourceLocation[]): Promise<{ file: string; fix: PythonFix }[]> {
    const all: { file: string; fix: PythonFix }[] = [];
    for (const loc of files) {
      if (ctx.signal?.aborted) break;
      for (const fix of await this.fixes(problem, ctx, [loc])) all.push({ file: loc.file, fix });
    }
    // Stable: within a rank, the helper's order (innermost file first) stays.
    return all.sort((a, b) => Number(RENAMES.has(a.fix.rule)) - Number(RENAMES.has(b.fix.rule)));
  }

  stop(): ProviderSummary | undefined {
    this.session.stop();
    return undefined;
  }
}

/** Files that do not compile: the compiler's message and position decide the edit. */
export class PythonSyntaxProvider extends PythonProviderBase {
  readonly name = 'python-syntax';
  readonly deterministic = true;

  protected fixes(_problem: Problem, ctx: ProposeContext, [loc]: SourceLocation[]): Promise<PythonFix[]> {
    return this.session.ask(ctx.root, 'syntax_fixes', { path: loc.file });
  }
}

/** Runtime errors in files that compile, read from the failure's message and traceback. */
export class PythonRulesProvider extends PythonProviderBase {
  readonly name = 'python-rules';
  readonly deterministic = true;

  protected fixes(problem: Problem, ctx: ProposeContext, [loc]: SourceLocation[]): Promise<PythonFix[]> {
    const text = [problem.message, ...problem.failures.flatMap((f) => [f.message, f.stack ?? ''])].join('\n');
    return this.session.ask(ctx.root, 'rule_fixes', { path: loc.file, line: loc.line, text });
  }
}

/** Both Python providers, sharing one helper process run with the suites' Python. */
export function pythonProviders(suites: readonly SuiteLike[] = [], python?: string): PatchProvider[] {
  const session = new PythonSession(suites, python);
  return [new PythonSyntaxProvider(session), new PythonRulesProvider(session)];
}
