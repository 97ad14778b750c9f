// Text that came from tests or models is untrusted: a test name can carry escape sequences that
// clear a terminal or set its title, and a message can carry HTML that a Markdown viewer runs.
// Everything such text reaches (a terminal, a commit message, a report) goes through here.
import { stripVTControlCharacters } from 'node:util';

/** C0/C1 controls other than tab and newline, and the bidirectional overrides that reorder code on screen. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text without escape sequences or control characters; tabs and newlines stay ("\r\n" becomes "\n"). */
export function stripControl(text: string): string {
  return stripVTControlCharacters(text.replace(/\r\n/g, '\n')).replace(CONTROL, '');
}

/** Every string inside `value` (objects and arrays, recursively) through stripControl. */
export function stripControlDeep<T>(value: T): T {
  if (typeof value === 'string') return stripControl(value) as T;
  if (Array.isArray(value)) return value.map(stripControlDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripControlDeep(v)])) as T;
  return value;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Markdown whose every character outside code spans and fenced blocks is plain text: `<` and `>`
 * become entities there (Markdown shows code literally, so code is left as it is), and control
 * characters are stripped everywhere.
 */
export function safeMarkdown(markdown: string): string {
  let fence: string | undefined;
  return stripControl(markdown)
    .split('\n')
    .map((line) => {
      const marker = FENCE.exec(line)?.[1];
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
        return line;
      }
      if (marker) {
        fence = marker;
        return line;
      }
      return escapeOutsideCodeSpans(line);
    })
    .join('\n');
}

/** CommonMark code spans: a run of n backticks up to the next run of exactly n. */
function escapeOutsideCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('`', i);
    if (open === -1) break;
    const run = /^`+/.exec(line.slice(open))![0];
    const close = findRun(line, open + run.length, run.length);
    if (close === -1) {
      out += escapeHtml(line.slice(i, open + run.length));
      i = open + run.length;
      continue;
    }
    out += escapeHtml(line.slice(i, open)) + line.slice(open, close + run.length);
    i = close + run.length;
  }
  return out + escapeHtml(line.slice(i));
}

function findRun(line: string, from: number, length: number): number {
  for (let i = line.indexOf('`', from); i !== -1; i = line.indexOf('`', i)) {
    const run = /^`+/.exec(line.slice(i))![0];
    if (run.length === length) return i;
    i += run.length;
  }
  return -1;
}

function escapeHtml(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
