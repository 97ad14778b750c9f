// A reporter of your own: fixloop hands it every event, each iteration's record and the run's
// summary, as it does its own reports and journal. This one writes a pull-request description of
// the fixes next to them. Run it with `npx tsx examples/reporter.ts /path/to/repo`.
// (Inside this repository the import is '../src/index.js'; in your project it is 'fixloop'.)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLoop, type Reporter, type RunSummary } from '../src/index.js';

/** Writes pull-request.md into the run's report directory when the run ends. */
export function pullRequestReporter(): Reporter {
  const fixes: string[] = [];
  let verified = 0;
  return {
    onEvent(event) {
      if (event.type === 'candidate:verified') verified++;
    },
    onIterationEnd(record) {
      for (const c of record.commits) fixes.push(`- ${c.message.split('\n')[0]} (${c.provider}, iteration ${record.iteration}, ${c.sha.slice(0, 7)})`);
    },
    onRunEnd({ summary }) {
      const t = (x: RunSummary['totalsBefore']) => `${x.passed}/${x.tests} passing`;
      const text = [
        `## fixloop: ${summary.status} (${summary.stopReason})`,
        '',
        `Tests: ${t(summary.totalsBefore)} before, ${t(summary.totalsAfter)} after; ${verified} candidate(s) verified.`,
        '',
        ...(fixes.length ? fixes : ['No fix was committed.']),
        '',
      ].join('\n');
      const file = path.join(summary.reportDir, 'pull-request.md');
      writeFileSync(file, text);
      return [file];
    },
  };
}

export async function main(repo: string): Promise<RunSummary> {
  const loop = createLoop({ cwd: repo, reporters: [pullRequestReporter()], maxIterations: 2 });
  return loop.result;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const repo = process.argv[2];
  if (!repo) {
    console.error('usage: npx tsx examples/reporter.ts /path/to/repo');
    process.exit(2);
  }
  main(repo).then((s) => {
    console.log(s.reports.find((r) => r.endsWith('pull-request.md')));
    process.exit(s.status === 'green' ? 0 : 1);
  });
}
