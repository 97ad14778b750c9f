// Embedding fixloop: run the loop on a repository, follow its events, and decide about each
// verified fix in code. Run it with `npx tsx examples/embed.ts /path/to/repo`.
// (Inside this repository the import is '../src/index.js'; in your project it is 'fixloop'.)
import { createLoop, type Approver, type PatchProvider, type RunSummary } from '../src/index.js';

/** Accept fixes that touch one file; reject the rest (the loop then offers the next candidate). */
export const oneFileOnly: Approver = ({ candidate }) => (candidate.patch.changes.length === 1 ? 'accept' : 'reject');

/** A provider of your own: this one proposes nothing, but shows the seam. */
export const silent: PatchProvider = {
  name: 'silent',
  async *propose() {},
};

export async function main(repo: string, log: (line: string) => void = console.log): Promise<RunSummary> {
  const controller = new AbortController();
  const loop = createLoop({ cwd: repo, approver: oneFileOnly, signal: controller.signal, maxIterations: 2 });
  for await (const event of loop.run()) {
    if (event.type === 'problem:found') log(`problem: ${event.problem.title}`);
    if (event.type === 'candidate:verified') log(`verified ${event.candidateId}: ${event.verdict}`);
    if (event.type === 'fix:committed') log(`committed ${event.sha.slice(0, 7)} ${event.message.split('\n')[0]}`);
  }
  const summary = await loop.result;
  log(`${summary.status} (${summary.stopReason}); reports in ${summary.reportDir}`);
  return summary;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const repo = process.argv[2];
  if (!repo) {
    console.error('usage: npx tsx examples/embed.ts /path/to/repo');
    process.exit(2);
  }
  main(repo).then((s) => process.exit(s.status === 'green' ? 0 : 1));
}
