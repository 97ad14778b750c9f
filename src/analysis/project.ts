// One long-lived ts-morph Project per repository root. Building a program costs a second or two
// (lib files, type checking), so it is built once and then kept in step with the disk file by file.
import fs from 'node:fs';
import path from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { Diagnostic } from '../model.js';
import { relativeInside, SOURCE_FILE } from '../paths.js';

/** Files bigger than this are generated or vendored: parsing them costs more than it could tell. */
export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 5000;
export { SOURCE_FILE } from '../paths.js';
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'out']);
const JS_FILE = /\.(?:[cm]?js|jsx)$/;
/** "Could not find name 'x'. Did you mean 'y'?": the only name error TypeScript reports in unchecked JS. */
const UNCHECKED_JS_CODES = new Set([2570]);

function defaultOptions(): ts.CompilerOptions {
  return {
    allowJs: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    jsx: ts.JsxEmit.Preserve,
    strict: false,
    skipLibCheck: true,
    noEmit: true,
    // TypeScript 6 defaults `types` to []; "*" restores the pre-6 behaviour of loading every @types package.
    types: ['*'],
  };
}

export type DiagnosticsResult = { kind: 'syntactic' | 'semantic'; diagnostics: readonly ts.Diagnostic[] };

export class AnalysisProject {
  readonly root: string;
  readonly project: Project;
  /** Problems met while loading (broken tsconfig, skipped files); never thrown. */
  readonly warnings: string[] = [];
  /** The tsconfig.json whose options are in use, when one loaded. */
  readonly tsconfig?: string;
  private readonly stamps = new Map<string, string>();

  constructor(root: string) {
    this.root = path.resolve(root);
    const config = this.loadConfig();
    this.tsconfig = config.tsconfig;
    this.project = new Project({ compilerOptions: config.options, skipAddingFilesFromTsConfig: true });
    for (const file of config.fileNames) this.load(file);
  }

  get languageService(): ts.LanguageService {
    return this.project.getLanguageService().compilerObject;
  }

  get compilerOptions(): ts.CompilerOptions {
    return this.project.getCompilerOptions();
  }

  /** Repository-relative, forward slashes. */
  relative(file: string): string {
    return path.relative(this.root, path.resolve(this.root, file)).split(path.sep).join('/');
  }

  absolute(file: string): string {
    return path.resolve(this.root, file);
  }

  isInside(file: string): boolean {
    return Boolean(relativeInside(this.root, file));
  }

  /** The file's SourceFile, loading it when the tsconfig did not include it (a test file, say). */
  sourceFile(file: string): SourceFile | undefined {
    const abs = this.absolute(file);
    return this.project.getSourceFile(abs) ?? (this.isInside(abs) && SOURCE_FILE.test(abs) ? this.load(abs) : undefined);
  }

  /**
   * Re-reads files from disk. With paths: exactly those (after an edit, only touched files need it).
   * Without: every loaded file whose size or mtime changed, e.g. after a git checkout.
   */
  refresh(paths?: string[]): void {
    const files = paths ? paths.map((p) => this.absolute(p)) : [...this.stamps.keys()];
    for (const abs of files) {
      if (!paths && this.stamps.get(abs) === stamp(abs)) continue;
      const existing = this.project.getSourceFile(abs);
      // The same text again: keeping the SourceFile keeps the type checker and all it has found.
      if (existing && paths && fs.existsSync(abs) && sameText(abs, existing.getFullText())) {
        this.stamps.set(abs, stamp(abs));
        continue;
      }
      if (existing) this.project.removeSourceFile(existing);
      this.stamps.delete(abs);
      if (fs.existsSync(abs) && (existing || paths)) this.load(abs);
    }
  }

  /** Syntactic diagnostics when there are any (semantic ones of an unparsable file mislead), else semantic. */
  rawDiagnostics(file: string): DiagnosticsResult | undefined {
    const sf = this.sourceFile(file);
    if (!sf) return undefined;
    const name = sf.getFilePath();
    const ls = this.languageService;
    const syntactic = ls.getSyntacticDiagnostics(name);
    if (syntactic.length > 0) return { kind: 'syntactic', diagnostics: syntactic };
    const semantic: ts.Diagnostic[] = [...ls.getSemanticDiagnostics(name)];
    if (JS_FILE.test(name)) semantic.push(...ls.getSuggestionDiagnostics(name).filter((d) => UNCHECKED_JS_CODES.has(d.code)));
    return { kind: 'semantic', diagnostics: semantic };
  }

  diagnosticsFor(file: string): Diagnostic[] {
    const found = this.rawDiagnostics(file);
    if (!found) return [];
    return found.diagnostics
      .map((d) => toDiagnostic(this.root, d))
      .filter((d): d is Diagnostic => d !== undefined)
      .sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private load(abs: string): SourceFile | undefined {
    const text = readSource(abs, (message) => this.warnings.push(message));
    if (text === undefined) return undefined;
    this.stamps.set(abs, stamp(abs));
    return this.project.createSourceFile(abs, text, { overwrite: true });
  }

  private loadConfig(): { options: ts.CompilerOptions; fileNames: string[]; tsconfig?: string } {
    const tsconfig = path.join(this.root, 'tsconfig.json');
    const fallback = () => ({ options: defaultOptions(), fileNames: this.scan() });
    if (!fs.existsSync(tsconfig)) return fallback();
    try {
      const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
      if (read.error) {
        this.warnings.push(`${tsconfig}: ${flatten(read.error.messageText)} Using default compiler options.`);
        return fallback();
      }
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, this.root, undefined, tsconfig);
      // 18003 "No inputs were found" is expected of solution-style configs: the files are scanned instead.
      for (const error of parsed.errors.filter((e) => e.code !== 18003)) {
        this.warnings.push(`${tsconfig}: ${flatten(error.messageText)}`);
      }
      // Options deprecated in TypeScript 6 (baseUrl, moduleResolution node10, ...) still load, silently.
      const options: ts.CompilerOptions = { ...parsed.options, ignoreDeprecations: '6.0', noEmit: true };
      options.types ??= ['*'];
      // Nothing is emitted; outFile would only add "cannot compile modules" errors to every file.
      delete options.outFile;
      const fileNames = parsed.fileNames.filter((f) => SOURCE_FILE.test(f) && !this.isSkipped(f));
      return { options, fileNames: fileNames.length > 0 ? fileNames : this.scan(), tsconfig };
    } catch (error) {
      this.warnings.push(`${tsconfig}: ${(error as Error).message} Using default compiler options.`);
      return fallback();
    }
  }

  private isSkipped(abs: string): boolean {
    return this.relative(abs).split('/').some((part) => SKIPPED_DIRS.has(part));
  }

  private scan(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (found.length >= MAX_FILES) return;
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) walk(abs);
        else if (entry.isFile() && SOURCE_FILE.test(entry.name)) found.push(abs);
      }
    };
    walk(this.root);
    if (found.length >= MAX_FILES) this.warnings.push(`${this.root}: more than ${MAX_FILES} source files; analysing the first ${MAX_FILES}`);
    return found;
  }
}

const projects = new Map<string, AnalysisProject>();

/** The cached project of a repository root, built on first use. */
export function projectFor(root: string): AnalysisProject {
  const key = path.resolve(root);
  let project = projects.get(key);
  if (!project) {
    project = new AnalysisProject(key);
    projects.set(key, project);
  }
  return project;
}

/** Drops the cached project of root (or every cached project), e.g. when a worktree is removed. */
export function forgetProject(root?: string): void {
  if (root === undefined) projects.clear();
  else projects.delete(path.resolve(root));
}

export function toDiagnostic(root: string, d: ts.Diagnostic): Diagnostic | undefined {
  if (!d.file || d.start === undefined) return undefined;
  const { line, character } = ts.getLineAndCharacterOfPosition(d.file, d.start);
  return {
    file: path.relative(root, d.file.fileName).split(path.sep).join('/'),
    line: line + 1,
    column: character + 1,
    code: d.code,
    message: flatten(d.messageText),
    category: CATEGORIES[d.category],
  };
}

const CATEGORIES: Record<ts.DiagnosticCategory, Diagnostic['category']> = {
  [ts.DiagnosticCategory.Error]: 'error',
  [ts.DiagnosticCategory.Warning]: 'warning',
  [ts.DiagnosticCategory.Suggestion]: 'suggestion',
  [ts.DiagnosticCategory.Message]: 'message',
};

export function flatten(message: string | ts.DiagnosticMessageChain): string {
  return ts.flattenDiagnosticMessageText(message, '\n');
}

/** The file's text, or undefined (with a warning) when it is too big or not UTF-8. */
function sameText(abs: string, text: string): boolean {
  try {
    return fs.readFileSync(abs, 'utf8') === text;
  } catch {
    return false;
  }
}

function readSource(abs: string, warn: (message: string) => void): string | undefined {
  let bytes: Buffer;
  try {
    if (fs.statSync(abs).size > MAX_FILE_BYTES) {
      warn(`${abs}: larger than ${MAX_FILE_BYTES} bytes; skipped`);
      return undefined;
    }
    bytes = fs.readFileSync(abs);
  } catch (error) {
    warn(`${abs}: ${(error as Error).message}; skipped`);
    return undefined;
  }
  try {
    // ignoreBOM keeps a byte-order mark in the text, so a patch's `before` is exactly the file on disk.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    warn(`${abs}: not UTF-8; skipped`);
    return undefined;
  }
}

function stamp(abs: string): string {
  try {
    const stat = fs.statSync(abs);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
