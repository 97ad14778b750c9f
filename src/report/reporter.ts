// Reporters, as in vitest: consumers fed the run as it happens. The journal, the iteration
// reports (Markdown, JSON) and the run summary (Markdown, HTML) are reporters; a caller's own
// join them through LoopOptions.reporters.
import { redactDeep, secretRedactor } from '../secrets.js';
import type { IterationRecord, LoopEvent } from '../model.js';
import { writeRunSummary, type SummaryInput } from './summary.js';
import { writeIterationReport } from './write.js';

export interface Reporter {
  /** Every event of the run, in order, as it happens. */
  onEvent?(event: LoopEvent): void;
  /** An iteration's record, when it ended (before iteration:end): the files written go into its `reports`. */
  onIterationEnd?(record: IterationRecord): string[] | void | Promise<string[] | void>;
  /** The run's summary, before run:end: the files written go into the summary's `reports`. */
  onRunEnd?(input: SummaryInput): string[] | void | Promise<string[] | void>;
}

/** iteration-<n>.md and iteration-<n>.json in `dir`. */
export function iterationReporter(dir: string): Reporter {
  return { onIterationEnd: (record) => writeIterationReport(dir, record, { expectedTests: record.expectedTests }) };
}

/** summary.md and summary.html in `dir`. */
export function summaryReporter(dir: string): Reporter {
  return { onRunEnd: (input) => writeRunSummary(dir, input) };
}

/** Hands the record to each reporter in turn; the files they wrote, in that order. */
export async function reportIteration(reporters: Reporter[], record: IterationRecord): Promise<string[]> {
  const written: string[] = [];
  // Reports hold what tests printed: a secret's value never reaches them.
  const safe = redactDeep(record, secretRedactor());
  for (const r of reporters) written.push(...((await r.onIterationEnd?.(safe)) ?? []));
  return written;
}

/** Hands the summary to each reporter in turn, adding the files each wrote to `input.summary.reports`. */
export async function reportRunEnd(reporters: Reporter[], input: SummaryInput): Promise<void> {
  const safe = redactDeep(input, secretRedactor());
  for (const r of reporters) {
    const written = (await r.onRunEnd?.(safe)) ?? [];
    input.summary.reports.push(...written);
    if (safe.summary !== input.summary) safe.summary.reports.push(...written);
  }
}
