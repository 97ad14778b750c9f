// Runs a vitest suite with the JSON reporter (for the results) next to the default reporter (for
// what JSON leaves out, see vitest-text.ts).
import type { SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { npmSeparator, shellQuote } from './command-line.js';
import { runWithReport, shownCommand, type Narrowing } from './report-run.js';
import { exactNames, spacedName } from './select.js';
import type { RunOptions, TestRunnerAdapter } from './types.js';
import { parseVitestReport } from './vitest-parse.js';

export { shellQuote } from './command-line.js';

/**
 * The suite's command with the reporters fixloop reads. `npm test` / `npm run x` forward
 * arguments only after "--", so one is added when the command has none. Chosen tests are picked
 * by `-t`, which vitest matches against a test's titles joined by spaces.
 */
export function vitestCommand(command: string, reportFile: string, files?: string[], narrowing: Narrowing = {}): string {
  const args = [
    '--reporter=json',
    `--outputFile.json=${shellQuote(reportFile)}`,
    '--reporter=default',
    '--includeTaskLocation',
  ];
  // A targeted run may name files another suite owns: finding none of them is not a failure here.
  const names = narrowing.tests && exactNames(narrowing.tests.map((t) => spacedName(t.fullName)));
  if (names) args.push('-t', shellQuote(names));
  if (narrowing.retries) args.push(`--retry=${narrowing.retries}`);
  if (files) args.push('--passWithNoTests', ...files.map(shellQuote));
  return `${command.trimEnd()}${npmSeparator(command)} ${args.join(' ')}`;
}

export class VitestAdapter implements TestRunnerAdapter {
  readonly format = 'vitest';

  run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    return runWithReport(suite, options, {
      expected: { name: 'a vitest JSON report', hint: 'is it a vitest command, and does the config load?' },
      plan: (_suite, reportFile, files, _dir, narrowing) => ({
        run: vitestCommand(suite.command, reportFile, files, narrowing),
        // Reports and messages show the command as the user wrote it, not our reporter flags and temp paths.
        shown: shownCommand(suite.command, files),
      }),
      parse: (text, output, ctx) =>
        parseVitestReport(JSON.parse(text), { suite: suite.name, cwd: ctx.root, runDir: ctx.runDir, defaultOutput: output }),
    });
  }
}
