// Runs a vitest suite with the JSON reporter (for the results) next to the default reporter (for
// what JSON leaves out, see vitest-text.ts), and tells a failing suite from one that could not run.
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Blocker, SuiteRun } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { runCommand, type CommandResult } from './process.js';
import { countTotals } from './results.js';
import type { RunOptions, TestRunnerAdapter } from './types.js';
import { parseVitestReport } from './vitest-parse.js';

/** Errors of the machine rather than the code: no fix to the repository makes them pass. */
const ENVIRONMENT_ERRORS =
  /\b(ECONNREFUSED|EADDRINUSE|ENOSPC|ENOMEM|EBUSY|EPERM|EACCES|EMFILE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND)\b|Cannot connect to the Docker daemon|JavaScript heap out of memory/;
const NOT_FOUND = /command not found|: not found\b/;
const TAIL_LINES = 20;

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The suite's command with the reporters fixloop reads. `npm test` / `npm run x` forward
 * arguments only after "--", so one is added when the command has none.
 */
export function vitestCommand(command: string, reportFile: string, files?: string[]): string {
  const args = [
    '--reporter=json',
    `--outputFile.json=${shellQuote(reportFile)}`,
    '--reporter=default',
    '--includeTaskLocation',
  ];
  // A targeted run may name files another suite owns: finding none of them is not a failure here.
  if (files) args.push('--passWithNoTests', ...files.map(shellQuote));
  const viaNpm = /^\s*npm\s+(test|t|run(-script)?\s+\S+)(\s|$)/.test(command) && !/\s--(\s|$)/.test(command);
  return `${command.trimEnd()}${viaNpm ? ' --' : ''} ${args.join(' ')}`;
}

function lastLines(text: string, count = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** The program the shell could not find, from "sh: 1: vitestx: not found" or "bash: vitestx: command not found". */
function missingProgram(command: string, output: string): string {
  const named = /([^\s:]+): (?:command )?not found/.exec(output)?.[1];
  if (named) return named;
  const words = command.trim().split(/\s+/).filter((word) => !/^\w+=/.test(word));
  return words[0] ?? command;
}

function blockerFor(
  suite: SuiteConfig,
  command: string,
  result: CommandResult,
  report: { found: boolean; failures: number; parseError?: string },
): Blocker | undefined {
  const tail = result.outputTail;
  const evidence = tail.trim() ? `\nLast output:\n${lastLines(tail)}` : ' It printed nothing.';
  const named = `Suite "${suite.name}" (\`${command}\`)`;
  if (result.spawnError) {
    return { reason: 'crash', message: `${named} could not be started: ${result.spawnError}`, outputTail: tail };
  }
  if (result.timedOut) {
    return {
      reason: 'timeout',
      message: `${named} timed out after ${suite.timeoutSec}s; its process tree was killed. Raise "timeoutSec" or look for a hanging test.${evidence}`,
      outputTail: tail,
    };
  }
  if (!report.found && (result.exitCode === 127 || NOT_FOUND.test(tail))) {
    const program = missingProgram(suite.command, tail);
    return {
      reason: 'command-not-found',
      message: `${named}: command not found: ${program}. Install it or fix "command" in the policy.${evidence}`,
      outputTail: tail,
    };
  }
  const cleanExit = result.exitCode === 0;
  const unexplained = report.found && !cleanExit && report.failures === 0;
  if ((!report.found || unexplained) && ENVIRONMENT_ERRORS.test(tail)) {
    const code = ENVIRONMENT_ERRORS.exec(tail)![0];
    return {
      reason: 'environment',
      message: `${named} failed on the environment (${code}), not on the code: check services, ports, disk and memory.${evidence}`,
      outputTail: tail,
    };
  }
  if (report.parseError) {
    return { reason: 'crash', message: `${named} wrote an unreadable report: ${report.parseError}${evidence}`, outputTail: tail };
  }
  if (!report.found) {
    const ended = result.exitCode === null ? 'was killed by a signal' : `exited with code ${result.exitCode}`;
    return {
      reason: result.exitCode === null ? 'crash' : 'no-report',
      message: `${named} ${ended} without writing a vitest JSON report: is it a vitest command, and does the config load?${evidence}`,
      outputTail: tail,
    };
  }
  if (unexplained) {
    const why = /Unhandled Errors?/.test(result.output) ? ' (vitest caught unhandled errors)' : '';
    return {
      reason: 'crash',
      message: `${named} exited with code ${result.exitCode} but no test or test file failed${why}.${evidence}`,
      outputTail: tail,
    };
  }
  return undefined;
}

export class VitestAdapter implements TestRunnerAdapter {
  readonly format = 'vitest';

  async run(suite: SuiteConfig, options: RunOptions): Promise<SuiteRun> {
    // vitest prints real paths; the root must be real too for paths to come out relative.
    const root = existsSync(options.cwd) ? realpathSync(options.cwd) : options.cwd;
    const runDir = suite.cwd ? path.resolve(root, suite.cwd) : root;
    const files = options.files?.map((file) => path.relative(runDir, path.resolve(root, file)).split(path.sep).join('/'));
    const empty = { tests: [], loadFailures: [] };
    if (files && files.length === 0) {
      // Nothing asked of this suite: running it without a filter would run all of it.
      return { suite: suite.name, command: suite.command, exitCode: 0, durationMs: 0, timedOut: false, ...empty, totals: countTotals([], []) };
    }

    const tmp = await mkdtemp(path.join(os.tmpdir(), 'fixloop-vitest-'));
    try {
      const reportFile = path.join(tmp, 'report.json');
      const command = vitestCommand(suite.command, reportFile, files);
      // Reports and messages show the command as the user wrote it, not our reporter flags and temp paths.
      const shown = files?.length ? `${suite.command} ${files.map(shellQuote).join(' ')}` : suite.command;
      const result = await runCommand(command, {
        cwd: runDir,
        env: options.env,
        timeoutSec: suite.timeoutSec,
        signal: options.signal,
        logFile: options.logFile,
      });
      if (result.aborted) throw options.signal?.reason ?? new Error(`Suite "${suite.name}" was aborted`);

      const base = {
        suite: suite.name,
        command: shown,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        timedOut: result.timedOut,
        ...(options.logFile ? { logFile: options.logFile } : {}),
      };
      let parsed: ReturnType<typeof parseVitestReport> | undefined;
      let parseError: string | undefined;
      const json = result.timedOut ? undefined : await readFile(reportFile, 'utf8').catch(() => undefined);
      if (json !== undefined) {
        try {
          parsed = parseVitestReport(JSON.parse(json), { suite: suite.name, cwd: root, runDir, defaultOutput: result.output });
        } catch (error) {
          parseError = error instanceof Error ? error.message : String(error);
        }
      }
      const failures = parsed ? parsed.loadFailures.length + parsed.tests.filter((t) => t.status === 'failed').length : 0;
      const blocker = blockerFor(suite, shown, result, { found: json !== undefined, failures, parseError });
      const results = parsed ?? empty;
      return {
        ...base,
        tests: results.tests,
        loadFailures: results.loadFailures,
        totals: countTotals(results.tests, results.loadFailures),
        ...(blocker ? { blocker } : {}),
      };
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}
