// `fixloop run --supervised`: a person sees each verified candidate and decides. Reads one answer
// per line from stdin (a terminal or a pipe); the questions and diffs go to stderr.
import { createInterface } from 'node:readline';
import type { Decision } from './model.js';
import { stripControl } from './safe-text.js';
import type { Approver } from './loop/index.js';

const ANSWERS: Record<string, Decision> = { a: 'accept', accept: 'accept', r: 'reject', reject: 'reject', s: 'skip', skip: 'skip', t: 'stop', stop: 'stop' };

/** An Approver that asks on `output` and reads answers from `input`; end of input means stop. */
export function terminalApprover(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Approver & { close(): void } {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const approve: Approver = async ({ problem, candidate, verdict, diff }) => {
    output.write(
      stripControl([
        '',
        `problem:   ${problem.title}`,
        `candidate: ${candidate.title} (${candidate.provider})`,
        `verdict:   ${verdict.summary}`,
        diff.trimEnd(),
        '',
      ].join('\n')),
    );
    for (;;) {
      output.write('[a]ccept, [r]eject, [s]kip problem, s[t]op? ');
      const next = await lines.next();
      // No one left to answer: never take silence for consent.
      if (next.done) {
        output.write('(no answer: stopping)\n');
        return 'stop';
      }
      const decision = ANSWERS[next.value.trim().toLowerCase()];
      if (decision) return decision;
      output.write(`"${next.value.trim()}" is not one of a, r, s, t\n`);
    }
  };
  // An open reader on stdin would keep the process alive after the run.
  return Object.assign(approve, { close: () => rl.close() });
}
