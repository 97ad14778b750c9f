// What each command does, once its flags are read (src/cli.ts reads them).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepareDemoRepo } from '../demo.js';
import { checkPolicy, InitError, initPolicy } from '../init/index.js';
import { createLoop, LoopError, runStatus } from '../loop/index.js';
import type { RunSummary } from '../model.js';
import { loadPolicy, parsePolicy, PolicyError, type SuiteConfig } from '../policy/index.js';
import { TerminalProgress } from '../progress.js';
import { stripControl, stripControlDeep } from '../safe-text.js';
import { terminalApprover } from '../supervise.js';
import { formatTotals } from '../test-run.js';
import { RepoError, repoRoot } from '../vcs/index.js';
import { colourMarkdownDiffs, coloursFor } from './colour.js';
import { describe } from './describe.js';

export const EXIT = { green: 0, failing: 1, usage: 2, blocked: 3, interrupted: 130 } as const;

type Interruption = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'EPIPE';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** 128 + the signal's number, as shells report a process a signal ended; a closed pipe as SIGPIPE would. */
const INTERRUPTIONS: Record<Interruption, { code: number; said: string }> = {
  SIGINT: { code: 130, said: 'interrupted' },
  SIGTERM: { code: 143, said: 'terminated (SIGTERM)' },
  SIGHUP: { code: 129, said: 'hung up (SIGHUP)' },
  EPIPE: { code: 141, said: 'output closed (EPIPE)' },
};

export function exitCodeFor(summary: RunSummary): number {
  if (summary.exitCode !== undefined) return summary.exitCode;
  if (summary.status === 'error') return EXIT.usage;
  return summary.status === 'green' ? 0 : summary.status === 'blocked' ? 3 : summary.status === 'interrupted' ? 130 : 1;
}

export interface RunFlags {
  cwd: string;
  policy?: string;
  maxIterations?: number;
  json: boolean;
  worktree?: boolean;
  supervised?: boolean;
  resume?: boolean;
  llm?: { disabled?: boolean; record?: string; replay?: string; trustPolicyEndpoint?: boolean };
}

export async function runCommand(flags: RunFlags): Promise<{ code: number; summary?: RunSummary }> {
  const controller = new AbortController();
  // One way out for every interruption: the loop is aborted, finishes or rolls back its step,
  // writes its reports and releases the lock, worktree and children; the exit code says why.
  let stoppedBy: Interruption | undefined;
  const interrupt = (why: Interruption) => {
    if (stoppedBy) return;
    stoppedBy = why;
    say(`\nfixloop: ${INTERRUPTIONS[why].said}; finishing the current step and writing the report${why === 'SIGINT' ? ' (Ctrl-C again to force)' : ''}\n`);
    controller.abort();
    if (why !== 'EPIPE') process.once(why, () => process.exit(INTERRUPTIONS[why].code));
  };
  const onSignal = (signal: NodeJS.Signals) => interrupt(signal as Interruption);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  // `fixloop run --json | head -1`: the reader is gone; stop writing, and stop the run the same way.
  const closed = new Set<NodeJS.WriteStream>();
  const onPipeError = (stream: NodeJS.WriteStream) => (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') return;
    closed.add(stream);
    interrupt('EPIPE');
  };
  const onStdoutError = onPipeError(process.stdout);
  const onStderrError = onPipeError(process.stderr);
  process.stdout.on('error', onStdoutError);
  process.stderr.on('error', onStderrError);
  const say = (text: string) => {
    if (!closed.has(process.stderr)) process.stderr.write(text);
  };
  const print = (text: string) => {
    if (!closed.has(process.stdout)) process.stdout.write(text);
  };
  const approver = flags.supervised ? terminalApprover() : undefined;
  const colours = coloursFor(process.stderr);
  const loop = createLoop({ cwd: flags.cwd, policyFile: flags.policy, maxIterations: flags.maxIterations, signal: controller.signal, worktree: flags.worktree, llm: flags.llm, approver, resume: flags.resume || undefined });
  try {
    // A live status line only on a terminal, and never mixed with JSON or with the questions of --supervised.
    const progress = process.stderr.isTTY && !flags.json && !flags.supervised ? new TerminalProgress(process.stderr, flags.maxIterations ?? 0) : undefined;
    progress?.start();
    try {
      for await (const event of loop.run()) {
        if (flags.json) print(`${JSON.stringify(event)}\n`);
        if (event.type === 'run:start' || event.type === 'run:resume') progress?.setMaxIterations(event.maxIterations);
        // Test names and model text inside the event reach the terminal without their escape sequences.
        const shown = stripControlDeep(event);
        const line = describe(shown, colours);
        if (progress) progress.line(line, shown);
        else if (line !== undefined) say(`${line}\n`);
      }
    } finally {
      progress?.stop();
    }
    const summary = await loop.result;
    return { code: stoppedBy ? INTERRUPTIONS[stoppedBy].code : exitCodeFor(summary), summary };
  } catch (err) {
    return { code: stoppedBy ? INTERRUPTIONS[stoppedBy].code : reportError(err) };
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.stdout.off('error', onStdoutError);
    process.stderr.off('error', onStderrError);
    approver?.close();
  }
}

export function reportError(err: unknown): number {
  if (err instanceof PolicyError || err instanceof RepoError) {
    process.stderr.write(`fixloop: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof LoopError) {
    process.stderr.write(`fixloop: ${err.message}\n`);
    return err.exitCode;
  }
  // A crash is a bug of fixloop's: one line for the user, the stack for whoever reports it.
  const debug = process.env.FIXLOOP_DEBUG === '1';
  const message = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message.split('\n')[0]) : String(err);
  process.stderr.write(`fixloop: internal error: ${message}${debug ? '' : ' (run again with --debug for the stack)'}\n`);
  return EXIT.failing;
}

export async function initCommand(cwd: string, force: boolean, check = false): Promise<number> {
  try {
    const root = await repoRoot(cwd).catch(() => cwd);
    let suites: SuiteConfig[];
    if (check && !force && existsSync(path.join(root, 'loop.policy.json'))) {
      suites = loadPolicy(root, 'loop.policy.json').policy.suites;
      process.stderr.write(`checking the existing ${path.join(root, 'loop.policy.json')} (--force rewrites it)\n`);
    } else {
      const { file, policy, notes } = initPolicy(root, { force });
      // The notes quote the project's scripts: no escape sequence of theirs reaches the terminal.
      process.stderr.write(`${stripControl(notes.join('\n'))}\nwrote ${file}\n`);
      process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
      if (!check) return 0;
      suites = parsePolicy(policy, file).suites;
    }
    return await checkSuites(root, suites);
  } catch (err) {
    if (err instanceof InitError || err instanceof PolicyError) {
      process.stderr.write(`fixloop: ${err.message}\n`);
      return EXIT.usage;
    }
    return reportError(err);
  }
}

/** `init --check`: each suite once, a line per suite on stderr; Ctrl-C ends the suite running. */
async function checkSuites(root: string, suites: SuiteConfig[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await checkPolicy(root, suites, {
      signal: controller.signal,
      onSuite: (c) => process.stderr.write(`check ${c.ok ? 'ok' : 'FAILED'} "${c.suite}": ${stripControl(c.line)}\n`),
    });
    process.stderr.write(result.ok ? 'the policy works: every suite ran\n' : 'the policy does not work yet: fix the suites above in loop.policy.json\n');
    return result.ok ? 0 : EXIT.blocked;
  } catch (err) {
    if (controller.signal.aborted) return EXIT.interrupted;
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function statusCommand(cwd: string, runId: string | undefined, json: boolean): Promise<number> {
  try {
    const s = runStatus(await repoRoot(cwd), runId);
    if (json) {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const lines = [
      `run ${s.runId}: ${s.state}${s.status ? ` (${s.status}, ${s.stopReason})` : ''}`,
      `  started ${s.startedAt ?? 'unknown'}, last event ${s.lastEventAt ?? 'none'}`,
      `  iteration ${s.iteration}; ${s.problems} problem${s.problems === 1 ? '' : 's'} found in it`,
      `  candidates: ${s.candidates.proposed} proposed, ${s.candidates.rejected} rejected by guards, ${s.candidates.verified} verified`,
      `  tests: ${s.totalsBefore ? formatTotals(s.totalsBefore) : 'not run yet'}${s.totalsAfter ? ` → ${formatTotals(s.totalsAfter)}` : ''}`,
      `  fixes: ${s.commits.length}${s.branch && s.commits.length ? ` on ${s.branch}` : ''}`,
      ...s.commits.map((c) => `    ${c.sha.slice(0, 7)} ${c.message}`),
      ...(s.reports.length ? [`  reports: ${path.dirname(s.reports[0])}`] : []),
    ];
    process.stdout.write(`${stripControl(lines.join('\n'))}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

export async function reportCommand(cwd: string, runId: string | undefined): Promise<number> {
  try {
    const s = runStatus(await repoRoot(cwd), runId);
    const summary = s.reports.find((r) => r.endsWith('summary.md')) ?? s.reports.filter((r) => r.endsWith('.md')).at(-1);
    if (!summary || !existsSync(summary)) {
      process.stderr.write(`fixloop: run ${s.runId} has no report yet (${s.state}).\n`);
      return EXIT.usage;
    }
    process.stdout.write(colourMarkdownDiffs(stripControl(readFileSync(summary, 'utf8')), coloursFor(process.stdout)));
    process.stderr.write(`\nreports of run ${s.runId}:\n${s.reports.map((r) => `  ${r}`).join('\n')}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

export async function demoCommand(flags: RunFlags): Promise<number> {
  const started = Date.now();
  let dir: string;
  try {
    dir = await prepareDemoRepo();
  } catch (err) {
    process.stderr.write(`fixloop: cannot set up the demo: ${(err as Error).message}\n`);
    return EXIT.blocked;
  }
  process.stderr.write(`fixloop demo: repository ${dir}\n`);
  const { code, summary } = await runCommand({ ...flags, cwd: dir, policy: undefined });
  if (!summary) return code;
  const lines = [''];
  for (const c of summary.commits) lines.push(`fix commit: ${c.sha} ${c.message.split('\n')[0]}`);
  if (!summary.commits.length) lines.push('no fix was committed');
  lines.push(`tests: ${formatTotals(summary.totalsBefore)} → ${formatTotals(summary.totalsAfter)}`);
  lines.push(`report: ${summary.reports.find((r) => r.endsWith('.md')) ?? summary.reportDir}`);
  lines.push(`inspect: cd ${dir} && git log --stat ${summary.branch || 'main'}`);
  lines.push(`demo wall time: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  (flags.json ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
  return code;
}
