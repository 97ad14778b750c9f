// The vitest default reporter's failure sections. The JSON report leaves out what this text
// has: the error class and source location of files that failed to load, the real message of
// timed-out tests (the JSON holds "Error: STACK_TRACE_ERROR"), and errors thrown by hooks.
import { stripAnsi } from '../error-text.js';

export interface ReporterBlock {
  /** The section the block was printed in: files and describe blocks, or single tests. */
  section: 'suites' | 'tests';
  /** As printed: relative to the directory vitest ran in. */
  file: string;
  line?: number;
  column?: number;
  /** Describe blocks and title after the file; empty for a whole file. */
  names: string[];
  /** The error as printed, ANSI codes stripped: message, code frame, stack. */
  body: string;
}

interface Header {
  file: string;
  line?: number;
  column?: number;
  names: string[];
}

// ⎯⎯⎯⎯⎯⎯ Failed Suites 2 ⎯⎯⎯⎯⎯⎯⎯
const SECTION = /^⎯+ (Failed Suites|Failed Tests|Unhandled Errors?)\b/;
// Separators between errors: a rule, possibly ending in a counter "⎯⎯⎯[1/2]⎯".
const SEPARATOR = /^⎯{3,}/;
const FAIL = /^\s*FAIL\s+(.+?)\s*$/;
const SUMMARY = /^\s*(Test Files|Tests|Errors)\s{2,}/;

function parseHeader(text: string): Header {
  // Workspaces prefix the project: "|unit| test/a.test.ts > ...".
  const rest = text.replace(/^\|[^|]*\|\s+/, '');
  // A file that failed as a whole: "test/c.test.ts [ test/c.test.ts ]".
  const whole = /^(.+?) \[ (.+?) \]$/.exec(rest);
  if (whole) return { file: whole[2], names: [] };
  const [first, ...names] = rest.split(' > ');
  const located = /^(.+?):(\d+):(\d+)$/.exec(first);
  if (located) return { file: located[1], line: Number(located[2]), column: Number(located[3]), names };
  return { file: first, names };
}

/** The failure blocks of the "Failed Suites" and "Failed Tests" sections, in printed order. */
export function parseDefaultOutput(output: string): ReporterBlock[] {
  const blocks: ReporterBlock[] = [];
  let section: ReporterBlock['section'] | undefined;
  let headers: Header[] = [];
  let body: string[] = [];

  const close = (): void => {
    if (section && headers.length > 0) {
      const text = body.join('\n').replace(/^\n+|\s+$/g, '');
      for (const header of headers) blocks.push({ section, ...header, body: text });
    }
    headers = [];
    body = [];
  };

  for (const line of stripAnsi(output).split('\n')) {
    const heading = SECTION.exec(line);
    if (heading) {
      close();
      section = heading[1] === 'Failed Suites' ? 'suites' : heading[1] === 'Failed Tests' ? 'tests' : undefined;
      continue;
    }
    if (SEPARATOR.test(line) || SUMMARY.test(line)) {
      close();
      if (SUMMARY.test(line)) section = undefined;
      continue;
    }
    if (!section) continue;
    const fail = FAIL.exec(line);
    if (fail) {
      // Tests failing with the same error are printed as consecutive headers over one body.
      if (body.some((bodyLine) => bodyLine.trim() !== '')) close();
      headers.push(parseHeader(fail[1]));
      continue;
    }
    if (headers.length > 0) body.push(line);
  }
  close();
  return blocks;
}
