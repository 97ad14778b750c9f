// Suites read from JUnit XML: any runner that writes it to a file the policy names (`junitFile`).
// (pytest, which fixloop asks for an xunit1 file of its own, is read by the same parser: ../pytest/.)
import path from 'node:path';
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { outputLoadFailures } from './output.js';
import { parseJunitXml } from './parse.js';
import { runWithReport, WHOLE_SUITE_WARNING } from '../report-run.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';

export class JunitAdapter implements TestRunnerAdapter {
  readonly format = 'junit';

  run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const junitFile = suite.junitFile;
    if (!junitFile) throw new Error(`Suite "${suite.name}": format "junit" needs "junitFile", the JUnit XML file its command writes.`);
    return runWithReport(suite, options, {
      expected: { name: `JUnit XML at ${junitFile}`, hint: 'does the command write its JUnit report there?' },
      reportPath: (_suite, _tmp, runDir) => path.resolve(runDir, junitFile),
      // The command is the user's own: it cannot be narrowed to files without knowing the runner.
      plan: (_suite, _report, files) => ({ run: suite.command, shown: suite.command, warnings: files ? [WHOLE_SUITE_WARNING] : [] }),
      parse: (text, output, ctx) => {
        const results = parseJunitXml(text, { ...ctx, suite: suite.name });
        // What the report leaves out (Go packages that do not compile) is in the output.
        const known = new Set(results.loadFailures.map((l) => l.file));
        const more = outputLoadFailures(output, ctx, suite.name).filter((l) => !known.has(l.file));
        return { tests: results.tests, loadFailures: [...results.loadFailures, ...more] };
      },
      // mocha writes no report when a test file fails to load: its output names the file.
      parseWithoutReport: (output, ctx) => ({ tests: [], loadFailures: outputLoadFailures(output, ctx, suite.name) }),
    });
  }
}
