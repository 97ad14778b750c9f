// Telling a suite that failed from one that could not test the code at all: a command that is
// missing, timed out, crashed, failed on the environment, or wrote no readable report.
import os from 'node:os';
import type { Blocker } from '../model.js';
import type { SuiteConfig } from '../policy/schema.js';
import { contextOf, ENVIRONMENT_ERRORS, missingDependency, whatIsMissing } from './missing.js';
import type { CommandResult } from './process.js';

/** Errors of the machine rather than the code: no fix to the repository makes them pass. */
export { ENVIRONMENT_ERRORS } from './missing.js';
const NOT_FOUND = /command not found|: not found\b/;
const TAIL_LINES = 20;

export function lastLines(text: string, count = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** The program the shell could not find, from "sh: 1: vitestx: not found" or "bash: vitestx: command not found". */
function missingProgram(command: string, output: string): string {
  const named = /([^\s:]+): (?:command )?not found/.exec(output)?.[1];
  if (named) return named;
  const words = command.trim().split(/\s+/).filter((word) => !/^\w+=/.test(word));
  return words[0] ?? command;
}

/**
 * The signal behind a shell's exit code 128+n (a process the shell ran was killed: 137 is
 * SIGKILL, 139 SIGSEGV), as a name; undefined for any other code.
 */
export function signalOfExitCode(code: number | null): string | undefined {
  if (code === null || code <= 128 || code > 128 + 31) return undefined;
  return Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0];
}

export function isCommandNotFound(result: CommandResult): boolean {
  return result.exitCode === 127 || NOT_FOUND.test(result.outputTail);
}

export interface ReportState {
  found: boolean;
  /** Failed tests plus files that failed to load. */
  failures: number;
  parseError?: string;
}

/** What the adapter expected, for messages: "a vitest JSON report" and a question to ask the user. */
export interface ExpectedReport {
  name: string;
  hint: string;
}

export function blockerFor(
  suite: SuiteConfig,
  command: string,
  result: CommandResult,
  report: ReportState,
  expected: ExpectedReport,
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
  if (!report.found && isCommandNotFound(result)) {
    const program = missingProgram(suite.command, tail);
    return {
      reason: 'command-not-found',
      message: `${named}: command not found: ${program}. Install it or fix "command" in the policy.${evidence}`,
      outputTail: tail,
    };
  }
  const cleanExit = result.exitCode === 0;
  const unexplained = report.found && !cleanExit && report.failures === 0;
  const missing = !report.found || unexplained ? missingDependency(tail, contextOf(result.cwd ?? process.cwd())) : undefined;
  if (missing) {
    return {
      reason: 'environment',
      message: `${named} could not run: ${whatIsMissing(missing)} (${missing.message}). To unblock: ${missing.install}.${evidence}`,
      outputTail: tail,
    };
  }
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
    // A runner killed by a signal did not end its run: its shell says so with 128+n.
    const signal = signalOfExitCode(result.exitCode);
    const ended =
      result.exitCode === null ? 'was killed by a signal' : signal ? `was killed by ${signal} (exit code ${result.exitCode})` : `exited with code ${result.exitCode}`;
    return {
      reason: result.exitCode === null || signal ? 'crash' : 'no-report',
      message: `${named} ${ended} without writing ${expected.name}: ${expected.hint}${evidence}`,
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
