// `fixloop run --supervised`: a person sees each verified candidate and decides. On a terminal one
// key answers (Enter takes the default, accept; `?` explains); from a pipe, one answer per line.
// The questions and diffs go to stderr; a diff longer than the screen goes through the pager.
import { spawnSync } from 'node:child_process';
import { createInterface, emitKeypressEvents } from 'node:readline';
import { colourDiff, coloursFor } from './cli/colour.js';
import type { Approver } from './loop/index.js';
import type { Decision } from './model.js';
import { stripControl } from './safe-text.js';

const ANSWERS: Record<string, Decision> = { '': 'accept', a: 'accept', accept: 'accept', r: 'reject', reject: 'reject', s: 'skip', skip: 'skip', t: 'stop', stop: 'stop' };

export const SUPERVISED_HELP = [
  'a  accept: commit this fix (the default: Enter)',
  'r  reject: never commit it; the next best verified candidate is offered',
  's  skip: leave this problem for now, go on with the next one',
  't  stop: end the run here, keeping the fixes committed so far',
  '?  this help',
].join('\n');

type Stream = NodeJS.WritableStream & { isTTY?: boolean; rows?: number };
type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };

/** An Approver that asks on `output` and reads answers from `input`; end of input means stop. */
export function terminalApprover(input: Input = process.stdin, output: Stream = process.stderr): Approver & { close(): void } {
  const keys = input.isTTY && typeof input.setRawMode === 'function';
  const rl = keys ? undefined : createInterface({ input, terminal: false });
  const lines = rl?.[Symbol.asyncIterator]();
  const c = coloursFor(output);
  const nextAnswer = async (): Promise<string | undefined> => {
    if (lines) {
      const next = await lines.next();
      return next.done ? undefined : next.value;
    }
    return readKey(input);
  };
  const approve: Approver = async ({ problem, candidate, verdict, diff }) => {
    output.write(
      stripControl(['', `problem:   ${problem.title}`, `candidate: ${candidate.title} (${candidate.provider})`, `verdict:   ${verdict.summary}`, ''].join('\n')),
    );
    showDiff(colourDiff(stripControl(diff.trimEnd()), c), output);
    for (;;) {
      output.write(`${c.bold('[A]ccept')}, [r]eject, [s]kip problem, s[t]op, [?] help: `);
      const answer = await nextAnswer();
      // No one left to answer: never take silence for consent.
      if (answer === undefined) {
        output.write('(no answer: stopping)\n');
        return 'stop';
      }
      const said = answer.trim().toLowerCase();
      if (keys) output.write(`${said || 'a'}\n`);
      if (said === '?' || said === 'h' || said === 'help') {
        output.write(`${SUPERVISED_HELP}\n`);
        continue;
      }
      const decision = ANSWERS[said];
      if (decision) return decision;
      output.write(`"${stripControl(answer.trim())}" is not one of a, r, s, t (Enter accepts, ? explains)\n`);
    }
  };
  // An open reader on stdin would keep the process alive after the run.
  return Object.assign(approve, { close: () => rl?.close() });
}

/** A diff that fits the screen is printed; a longer one on a terminal goes through $PAGER (less). */
function showDiff(diff: string, output: Stream): void {
  const rows = output.rows ?? 0;
  if (output.isTTY && rows > 0 && diff.split('\n').length > rows - 8) {
    const [pager, ...args] = (process.env.PAGER || 'less -R').split(/\s+/);
    const paged = spawnSync(pager, args, { input: `${diff}\n`, stdio: ['pipe', 'inherit', 'inherit'] });
    if (!paged.error && paged.status === 0) return;
  }
  output.write(`${diff}\n`);
}

/** One key press from a terminal in raw mode: Enter is "", Ctrl-C and Ctrl-D end the input. */
function readKey(input: Input): Promise<string | undefined> {
  emitKeypressEvents(input);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolve) => {
    input.once('keypress', (text: string | undefined, key: { name?: string; ctrl?: boolean }) => {
      input.setRawMode?.(false);
      input.pause();
      if (key?.ctrl && (key.name === 'c' || key.name === 'd')) resolve(undefined);
      else resolve(key?.name === 'return' || key?.name === 'enter' ? '' : (text ?? ''));
    });
  });
}
