// Runs a vitest suite with the JSON reporter (for the results) next to the default reporter (for
// what JSON leaves out, see text.ts).
import type { SuiteRun } from '../../model.js';
import type { SuiteConfig } from '../../policy/schema.js';
import { npmSeparator, shellQuote } from '../command-line.js';
import { runWithReport, shownCommand, suiteDirs, type Narrowing } from '../report-run.js';
import { exactNames, spacedName } from '../select.js';
import type { RunOptions, TestRunnerAdapter } from '../types.js';
import { atLeast, named, packageVersion, type RunnerVersion } from '../version.js';
import { parseVitestReport } from './parse.js';

export { shellQuote } from '../command-line.js';

/** What a vitest version can be asked for; `warnings` say what it cannot, once per run. */
export interface VitestFeatures {
  /** `--includeTaskLocation` on the command line: vitest 3 (1 and 2 know it only as a config key). */
  taskLocation: boolean;
  /** `--retry=N`: vitest 0.32. */
  retry: boolean;
  /** vitest 1 matches `-t` against a name that starts with a space (its file's suite is named ""). */
  leadingSpace: boolean;
  warnings: string[];
}

export function vitestFeatures(version: RunnerVersion = { from: 'assumed' }): VitestFeatures {
  const taskLocation = atLeast(version, 3);
  const retry = atLeast(version, 0, 32);
  const warnings: string[] = [];
  if (!taskLocation) {
    warnings.push(`${named('vitest', version)} has no --includeTaskLocation (vitest 3 has): tests carry no declared line; a failure is still located from its stack.`);
  }
  return { taskLocation, retry, leadingSpace: version.major !== undefined && version.major < 2, warnings };
}

/**
 * The suite's command with the reporters fixloop reads. `npm test` / `npm run x` forward
 * arguments only after "--", so one is added when the command has none. Chosen tests are picked
 * by `-t`, which vitest matches against a test's titles joined by spaces.
 */
export function vitestCommand(command: string, reportFile: string, files?: string[], narrowing: Narrowing = {}, features = vitestFeatures()): string {
  const args = ['--reporter=json', `--outputFile.json=${shellQuote(reportFile)}`, '--reporter=default'];
  // vitest 1 and 2 stop at an option they do not know (CACError: Unknown option) before any test runs.
  if (features.taskLocation) args.push('--includeTaskLocation');
  // A targeted run may name files another suite owns: finding none of them is not a failure here.
  const names = narrowing.tests && exactNames(narrowing.tests.map((t) => spacedName(t.fullName)));
  if (names) args.push('-t', shellQuote(features.leadingSpace ? names.replace(/^\^/, '^ ?') : names));
  if (narrowing.retries && features.retry) args.push(`--retry=${narrowing.retries}`);
  if (files) args.push('--passWithNoTests', ...files.map(shellQuote));
  return `${command.trimEnd()}${npmSeparator(command)} ${args.join(' ')}`;
}

export class VitestAdapter implements TestRunnerAdapter {
  readonly format = 'vitest';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    const version = await packageVersion(['vitest'], suiteDirs(suite, options.cwd).runDir);
    const features = vitestFeatures(version);
    return runWithReport(suite, options, {
      expected: { name: 'a vitest JSON report', hint: 'is it a vitest command, and does the config load?' },
      plan: (_suite, reportFile, files, _dir, narrowing) => ({
        run: vitestCommand(suite.command, reportFile, files, narrowing, features),
        // Reports and messages show the command as the user wrote it, not our reporter flags and temp paths.
        shown: shownCommand(suite.command, files),
        warnings: [
          ...features.warnings,
          ...(narrowing.retries && !features.retry ? ['This vitest has no --retry: fixloop re-runs failing tests in new runs.'] : []),
        ],
      }),
      parse: (text, output, ctx) =>
        parseVitestReport(JSON.parse(text), {
          suite: suite.name,
          cwd: ctx.root,
          runDir: ctx.runDir,
          defaultOutput: output,
          ...(version.major !== undefined ? { major: version.major } : {}),
        }),
    });
  }
}
