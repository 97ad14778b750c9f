// The whole of a failure, read from what every runner prints: the full message before the stack,
// expected and received, the diff, and the test's own frame beside the source location. Parsers
// that have structured fields (jest's matcherResult, node's AssertionError) fill them first;
// what they leave out is read from the text here, once for every runner (runners/settle.ts).
import type { Failure, SourceLocation } from '../model.js';
import { dedent, framesOf, isFrameLine, stripAnsi, type PathContext } from './error-text.js';
import { pythonFrames } from './pytest/text.js';

/** Enough for a long object diff; a report quotes it, the loop never parses it. */
const MAX_DETAILS = 4000;
const MAX_VALUE = 1000;

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The message as printed before the first stack frame (JS), or pytest's "E   " lines. */
export function detailsOf(stack: string, python: boolean): string {
  const lines = stripAnsi(stack).split('\n');
  if (python) {
    const errors = lines.filter((line) => /^E {0,8}/.test(line)).map((line) => line.replace(/^E {1,7}/, ''));
    if (errors.length > 0) return errors.join('\n').trimEnd();
  }
  let cut = lines.findIndex((line) => isFrameLine(line) || /^\s*at [^\s]/.test(line));
  if (cut < 0) cut = lines.length;
  // mocha's xunit body is the message, its diff, then the stack, which states the message again.
  const first = lines[0]?.trim() ?? '';
  const again = lines.findIndex((line, i) => i > 0 && i < cut && ERROR_LINE.test(line) && line.replace(ERROR_LINE, '').trim() === first);
  return lines.slice(0, again > 0 ? again : cut).join('\n').trim();
}

// The diff blocks runners print: vitest/jest "- Expected\n+ Received", node's "+ actual - expected",
// mocha's "+ expected - actual", pytest's "Full diff:" (its "E " prefixes removed by detailsOf).
const DIFF_HEADS = [/^\s*- Expected\b.*$/m, /^\s*\+ actual - expected\s*$/m, /^\s*\+ expected - actual\s*$/m, /^\s*Full diff:\s*$/m];

function diffOf(details: string): string | undefined {
  for (const head of DIFF_HEADS) {
    const match = head.exec(details);
    if (!match) continue;
    const body = details.slice(match.index).replace(/^\s*\n/, '').split('\n');
    return body.slice(0, diffEnd(body)).join('\n').trimEnd();
  }
  return markedLines(details);
}

/** A diff without a heading (pytest's for two strings): consecutive "- ", "+ " and "? " lines holding both a - and a +. */
function markedLines(details: string): string | undefined {
  const lines = details.split('\n');
  const start = lines.findIndex((l) => /^\s*[-+] /.test(l));
  if (start < 0) return undefined;
  let end = start;
  while (end < lines.length && /^\s*[-+?] /.test(lines[end])) end++;
  const block = lines.slice(start, end);
  return block.some((l) => /^\s*- /.test(l)) && block.some((l) => /^\s*\+ /.test(l)) ? dedent(block.join('\n')) : undefined;
}

/**
 * Where a diff block ends: its header, one blank line, then the body up to the next blank line,
 * a code frame, or an error line that starts the stack again (mocha prints the message twice).
 */
function diffEnd(lines: string[]): number {
  let body = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(?:❯|›|at |\d+\s*\||>\s*\d+\s*\|)/.test(line) || ERROR_LINE.test(line)) return i;
    if (line.trim() === '') {
      if (body) return i;
    } else if (i > 1 || lines[1].trim() === '') body = true;
  }
  return lines.length;
}

const ERROR_LINE = /^\s*(?:[A-Z][\w$.]*(?:Error|Exception)|Error)(?: \[[\w-]+\])?: /;

type Pair = { expected: string; actual: string };

// How each runner states the two values in words, actual first unless named.
const PAIRS: { pattern: RegExp; pick: (m: RegExpExecArray) => Pair }[] = [
  // jest: "Expected: 6\nReceived: 2" (also "Expected value: …", "Received array: …")
  { pattern: /^\s*Expected(?: [\w ]+?)?: (.+)\n\s*Received(?: [\w ]+?)?: (.+)$/m, pick: (m) => ({ expected: m[1], actual: m[2] }) },
  // chai, vitest: "expected 2 to be 6", "expected { a: 1 } to deeply equal { a: 2 }"
  {
    pattern: /^(?:\w*Error: )?expected (.+?) to (?:be|equal|deeply equal|strictly equal|eql|deep equal|have length|have property|be close to|include|contain) (.+?)(?: \/\/ Object\.is equality)?$/m,
    pick: (m) => ({ actual: m[1], expected: m[2] }),
  },
  // node:assert: "2 !== 6" on its own line; pytest: "assert 2 == 6"
  { pattern: /^\s*(.+?) !== (.+)$/m, pick: (m) => ({ actual: m[1], expected: m[2] }) },
  { pattern: /^(?:AssertionError: )?assert (.+?) == (.+)$/m, pick: (m) => ({ actual: m[1], expected: m[2] }) },
];

function pairOf(details: string): Pair | undefined {
  for (const { pattern, pick } of PAIRS) {
    const match = pattern.exec(details);
    if (match) return pick(match);
  }
  return undefined;
}

/** Frames of a settled (repository-relative) stack, innermost first, JavaScript's or Python's. */
function framesIn(stack: string, root: string, python: boolean): SourceLocation[] {
  const ctx: PathContext = { root, runDir: root };
  return python ? pythonFrames(stripAnsi(stack), ctx) : framesOf(stripAnsi(stack), ctx);
}

/**
 * The failure with what its text holds filled in, nothing overwritten: details, diff,
 * expected/actual, and the test file's frame when the location is elsewhere. `root` is the
 * checkout the stack's paths were made relative to.
 */
export function completeFailure(failure: Failure, testFile: string, root: string): Failure {
  const stack = failure.stack ?? '';
  const python = /^E {2,}/m.test(stack) || /\.py:\d+: /.test(stack);
  const out: Failure = { ...failure };
  const details = detailsOf(stack, python) || failure.message;
  if (out.details === undefined && details.includes('\n')) out.details = bounded(details, MAX_DETAILS);
  const full = out.details ?? details;
  const diff = out.diff ?? diffOf(full);
  if (diff) out.diff = bounded(diff, MAX_DETAILS);
  if (out.expected === undefined && out.actual === undefined) {
    const pair = pairOf(full);
    if (pair) {
      out.expected = bounded(pair.expected.trim(), MAX_VALUE);
      out.actual = bounded(pair.actual.trim(), MAX_VALUE);
    }
  }
  if (!out.testLocation) {
    const own = framesIn(stack, root, python).find((frame) => frame.file === testFile);
    if (own) out.testLocation = own;
  }
  return out;
}
