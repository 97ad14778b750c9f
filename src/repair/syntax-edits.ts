// The search space of the syntax provider: one-token edits near where the parser gave up, plus
// closers placed where indentation says a block ends. Each edit is checked by parsing alone here;
// the provider then weighs the survivors by type errors.
import { ts } from 'ts-morph';

export interface TokenEdit {
  /** Offset in the original text. */
  start: number;
  /** Characters removed at start (0 for an insertion). */
  removed: number;
  inserted: string;
  /** The token added or removed, e.g. "}" or ")". */
  token: string;
  action: 'insert' | 'delete';
  /** Placed by indentation: a closer on the line where the block's indentation ends. */
  guided: boolean;
  /** Distance in characters from the nearest parser error, for ranking. */
  distance: number;
}

const CLOSERS: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
const TOKENS = ['}', ')', ']', ';', ','];
/** Closers after an opener are tried at this many token boundaries at most. */
const MAX_SPAN_TOKENS = 80;

export function applyEdit(text: string, edit: TokenEdit): string {
  return text.slice(0, edit.start) + edit.inserted + text.slice(edit.start + edit.removed);
}

export function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The parser's errors for text, as the compiler reports them for one file. */
export function parseErrors(file: string, text: string): readonly ts.Diagnostic[] {
  const result = ts.transpileModule(text, {
    fileName: file.replace(/^.*\//, ''),
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  return (result.diagnostics ?? []).filter((d) => d.file !== undefined);
}

/** Every one-token edit worth parsing for the given parser errors, without duplicates. */
export function candidateEdits(text: string, errors: readonly ts.Diagnostic[], file: string): TokenEdit[] {
  const tokens = scan(text, file);
  const errorAt = errors.map((e) => e.start ?? 0);
  const distance = (pos: number) => Math.min(...errorAt.map((e) => Math.abs(e - pos)));
  const edits: TokenEdit[] = [...indentationClosers(text, distance)];
  const insert = (at: number, token: string) =>
    edits.push({ start: at, removed: 0, inserted: token, token: token.trim(), action: 'insert', guided: false, distance: distance(at) });

  for (const error of errors.slice(0, 3)) {
    const at = error.start ?? 0;
    const previous = tokens.filter((t) => t.end <= at).at(-1);
    for (const token of TOKENS) {
      insert(at, token);
      if (previous) insert(previous.end, token);
    }
    for (const t of [tokens.find((t) => t.start >= at), previous]) {
      if (t && TOKENS.includes(t.text)) {
        edits.push({ start: t.start, removed: t.text.length, inserted: '', token: t.text, action: 'delete', guided: false, distance: distance(t.start) });
      }
    }
    // "')' expected" may point past where the closer belongs: try after every token since its opener.
    for (const related of error.relatedInformation ?? []) {
      const open = related.start ?? -1;
      const closer = CLOSERS[text[open]];
      if (!closer) continue;
      for (const t of tokens.filter((t) => t.start > open && t.end <= at).slice(-MAX_SPAN_TOKENS)) insert(t.end, closer);
    }
    // Whatever else the parser names as expected ("'from' expected", "'=>' expected") is one more token to try.
    const named = /^'([^']{1,10})' expected/.exec(flatten(error.messageText))?.[1];
    if (named && !TOKENS.includes(named)) {
      const word = /^[A-Za-z]/.test(named);
      insert(at, word ? `${named} ` : named);
      if (previous) insert(previous.end, word ? ` ${named}` : named);
    }
    const expected = /^'([)\]}])' expected/.exec(flatten(error.messageText))?.[1];
    if (expected) {
      const open = openerBefore(tokens, at, expected);
      if (open !== undefined) for (const t of tokens.filter((t) => t.start > open && t.end <= at).slice(-MAX_SPAN_TOKENS)) insert(t.end, expected);
    }
  }
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.removed}:${e.inserted}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A line ending in an opener whose indentation is not closed by a line starting with its closer
 * at the same indentation: the closer belongs on a line of its own after the block's last line.
 */
function indentationClosers(text: string, distance: (pos: number) => number): TokenEdit[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
  const edits: TokenEdit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i].replace(/\/\/.*$/, '').trimEnd();
    const closing = unclosed(code);
    if (!closing) continue;
    const indent = indentOf(lines[i]);
    let j = i + 1;
    while (j < lines.length && (lines[j].trim() === '' || indentOf(lines[j]).length > indent.length)) j++;
    const next = j < lines.length ? lines[j].trim() : '';
    // A closer further out ("}" of the class after a method's body) closes something else.
    if (next.startsWith(closing[0]) && indentOf(lines[j]).length === indent.length) continue;
    let last = j - 1;
    while (last > i && lines[last].trim() === '') last--;
    if (last === i) continue;
    const at = starts[last] + lines[last].length;
    for (const suffix of ['', ';', ',']) {
      const inserted = `\n${indent}${closing}${suffix}`;
      edits.push({ start: at, removed: 0, inserted, token: closing[0], action: 'insert', guided: true, distance: distance(at) });
    }
  }
  return edits;
}

/** The closers a line's trailing unmatched openers need, innermost first ("})" for "x(() => {"), when it ends in an opener. */
function unclosed(code: string): string | undefined {
  if (!/[{([]$/.test(code)) return undefined;
  const stack: string[] = [];
  for (const ch of code.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""')) {
    if (CLOSERS[ch]) stack.push(CLOSERS[ch]);
    else if (ch === '}' || ch === ')' || ch === ']') stack.pop();
  }
  return stack.length ? stack.reverse().join('') : undefined;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

function scan(text: string, file: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, scriptKindOf(file) === ts.ScriptKind.TSX ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push({ text: scanner.getTokenText(), start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
  }
  return tokens;
}

/** The nearest opener before pos that its closer does not match yet. */
function openerBefore(tokens: Token[], pos: number, closer: string): number | undefined {
  const opener = Object.keys(CLOSERS).find((o) => CLOSERS[o] === closer)!;
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.end > pos) continue;
    if (t.text === closer) depth++;
    else if (t.text === opener) {
      if (depth === 0) return t.start;
      depth--;
    }
  }
  return undefined;
}

export function flatten(message: string | ts.DiagnosticMessageChain): string {
  return ts.flattenDiagnosticMessageText(message, '\n');
}
