import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { prepareDemoRepo } from './demo.js';
import { InitError, initPolicy } from './init.js';
import { terminalApprover } from './supervise.js';
import { TerminalProgress } from './progress.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLoop, LoopError, runStatus } from './loop/index.js';
import type { LoopEvent, RunSummary } from './model.js';
import { PolicyError } from './policy/index.js';
import { formatTotals } from './test-run.js';
import { RepoError, repoRoot } from './vcs/index.js';

const USAGE = `Usage: fixloop <command> [options]

Commands:
  init [--force]   detect the test runners and write a starting loop.policy.json
  run              run the fix loop in the current git repository
  resume           continue the last run that did not end (killed, crashed): same branch, journal and budgets
  status           the current or last run: state, iteration, problems, fixes, tests
  report [--run ID]  print a run's summary report (default: the last run)
  demo             copy the bundled demo app to a temporary repository and repair it

Options for run:
  --policy FILE         policy file (default ./loop.policy.json, else derived from package.json)
  --max-iterations N    stop after N iterations (overrides budget.maxIterations)
  --json                one JSON event per line on stdout; progress stays on stderr
  --no-llm              deterministic providers only (the LLM provider runs only with ANTHROPIC_API_KEY set)
  --record DIR          save every exchange with the model (key and secrets redacted)
  --replay DIR          answer from a recording instead of the network
  --supervised          show each verified candidate (diff, verdict, provider) and ask: accept, reject, skip problem, stop
  --worktree            run even with uncommitted changes: HEAD is tested, your files are left as they are
  -h, --help            this text
  --version             the version

Exit codes: 0 suites green · 1 failures remain · 2 usage or policy error · 3 suites could not run · 130 interrupted`;

export const EXIT = { green: 0, failing: 1, usage: 2, blocked: 3, interrupted: 130 } as const;

export function exitCodeFor(summary: RunSummary): number {
  if (summary.status === 'error') return EXIT.usage;
  return summary.status === 'green' ? 0 : summary.status === 'blocked' ? 3 : summary.status === 'interrupted' ? 130 : 1;
}

interface RunFlags {
  cwd: string;
  policy?: string;
  maxIterations?: number;
  json: boolean;
  worktree?: boolean;
  supervised?: boolean;
  resume?: boolean;
  llm?: { disabled?: boolean; record?: string; replay?: string };
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        policy: { type: 'string' },
        'max-iterations': { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-llm': { type: 'boolean', default: false },
        worktree: { type: 'boolean', default: false },
        record: { type: 'string' },
        force: { type: 'boolean', default: false },
        supervised: { type: 'boolean', default: false },
        replay: { type: 'string' },
        run: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`fixloop: ${(err as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : EXIT.usage;
  }
  if (rest.length) return usageError(`unexpected argument "${rest[0]}"`);
  let maxIterations: number | undefined;
  if (values['max-iterations'] !== undefined) {
    maxIterations = Number(values['max-iterations']);
    if (!Number.isInteger(maxIterations) || maxIterations < 1) return usageError(`--max-iterations must be a positive whole number, not "${values['max-iterations']}"`);
  }
  if (values.record && values.replay) return usageError('--record and --replay cannot be used together');
  const flags: RunFlags = {
    cwd: process.cwd(),
    policy: values.policy,
    maxIterations,
    json: values.json,
    worktree: values.worktree,
    supervised: values.supervised,
    llm: { disabled: values['no-llm'], record: values.record, replay: values.replay },
  };
  switch (command) {
    case 'run':
      return (await runCommand(flags)).code;
    case 'resume':
      return (await runCommand({ ...flags, resume: true })).code;
    case 'init':
      return initCommand(flags.cwd, values.force);
    case 'status':
      return statusCommand(flags.cwd, values.run, values.json);
    case 'report':
      return reportCommand(flags.cwd, values.run);
    case 'demo':
      return demoCommand(flags);
    default:
      return usageError(`unknown command "${command}"`);
  }
}

function usageError(message: string): number {
  process.stderr.write(`fixloop: ${message}\n\n${USAGE}\n`);
  return EXIT.usage;
}

function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

async function runCommand(flags: RunFlags): Promise<{ code: number; summary?: RunSummary }> {
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nfixloop: interrupted; finishing the current step and writing the report (Ctrl-C again to force)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  };
  process.once('SIGINT', onSigint);
  const approver = flags.supervised ? terminalApprover() : undefined;
  const loop = createLoop({ cwd: flags.cwd, policyFile: flags.policy, maxIterations: flags.maxIterations, signal: controller.signal, worktree: flags.worktree, llm: flags.llm, approver, resume: flags.resume || undefined });
  try {
    // A live status line only on a terminal, and never mixed with JSON or with the questions of --supervised.
    const progress = process.stderr.isTTY && !flags.json && !flags.supervised ? new TerminalProgress(process.stderr, flags.maxIterations ?? 0) : undefined;
    progress?.start();
    try {
      for await (const event of loop.run()) {
        if (flags.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        if (event.type === 'run:start' || event.type === 'run:resume') progress?.setMaxIterations(event.maxIterations);
        const line = describe(event);
        if (progress) progress.line(line, event);
        else if (line !== undefined) process.stderr.write(`${line}\n`);
      }
    } finally {
      progress?.stop();
    }
    const summary = await loop.result;
    return { code: exitCodeFor(summary), summary };
  } catch (err) {
    return { code: reportError(err) };
  } finally {
    process.off('SIGINT', onSigint);
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
  process.stderr.write(`fixloop: internal error: ${(err as Error).stack ?? String(err)}\n`);
  return EXIT.failing;
}

/** One human line per event, for stderr. */
export function describe(e: LoopEvent): string | undefined {
  switch (e.type) {
    case 'run:start':
      return [
        `fixloop run ${e.runId} on branch ${e.branch} (policy: ${e.policySource})`,
        ...(e.cleaned.worktrees.length || e.cleaned.branches.length
          ? [`  removed what a stopped run left: ${[...e.cleaned.worktrees.map((w) => `worktree ${w}`), ...e.cleaned.branches.map((b) => `empty branch ${b}`)].join(', ')}`]
          : []),
        ...(e.uncommitted.length ? [`  testing HEAD; ${e.uncommitted.length} file${e.uncommitted.length === 1 ? '' : 's'} with uncommitted changes left as they are`] : []),
      ].join('\n');
    case 'run:resume':
      return [
        `fixloop resumes run ${e.runId} on ${e.branch} at iteration ${e.iteration} (${e.commits} fix${e.commits === 1 ? '' : 'es'} already committed)`,
        ...(e.cleaned.worktrees.length ? [`  removed what the stopped process left: ${e.cleaned.worktrees.map((w) => `worktree ${w}`).join(', ')}`] : []),
      ].join('\n');
    case 'iteration:start':
      return `iteration ${e.iteration}`;
    case 'suite:end':
      return e.blocker
        ? `  suite ${e.suite}: not run — ${e.blocker.message}${indentTail(e.blocker.outputTail)}`
        : `  suite ${e.suite}: ${formatTotals(e.totals)} (${(e.durationMs / 1000).toFixed(1)}s)`;
    case 'discovery:end':
      return e.suites.map((d) => `  discovery: ${d.suite} would run ${d.count ?? '?'} tests${d.reason ? ` (${d.reason})` : ''}`).join('\n');
    case 'llm:usage':
      return `    llm: ${e.inputTokens + e.cacheReadTokens + e.cacheWriteTokens} prompt / ${e.outputTokens} answer tokens ($${e.costUSD.toFixed(4)})`;
    case 'llm:notice':
      return `    llm ${e.kind}: ${e.message}`;
    case 'flaky:found':
      return e.tests.map((t) => `  flaky, not repaired: ${t.id} (${t.history.join(' → ')})`).join('\n');
    case 'problem:found':
      return `  problem [${e.problem.kind}] ${e.problem.title}`;
    case 'candidate:proposed':
      return `    candidate ${e.candidateId} (${e.provider}): ${e.title}`;
    case 'candidate:rejected':
      return `    rejected: ${e.reason}`;
    case 'candidate:verified':
      return `    verified — ${e.summary}`;
    case 'candidate:decision':
      return `    decision: ${e.decision}`;
    case 'fix:committed':
      return `    committed ${e.sha.slice(0, 7)} ${e.message.split('\n')[0]}`;
    case 'commit:failed':
      return `    commit refused, patch undone: ${e.reason}`;
    case 'branch:updated':
      return e.message;
    case 'push:end':
      return e.ok ? e.message : `push of ${e.branch} to ${e.remote} failed: ${e.message}`;
    case 'provider:error':
      return `    provider ${e.provider} failed: ${e.message}`;
    case 'iteration:end':
      return `iteration ${e.iteration} done: ${formatTotals(e.totals)}; ${e.commits} commit${e.commits === 1 ? '' : 's'}`;
    case 'deploy:end':
      return e.steps.map((d) => `  deploy ${d.name}: ${d.status}${d.status === 'ok' ? '' : ` (exit ${d.exitCode ?? 'none'})${indentTail(d.outputTail, 8)}`}`).join('\n');
    case 'budget:spent':
      return `budget spent: ${e.budget} = ${e.limit}`;
    case 'run:end':
      return [
        `run ended: ${e.status} (${e.stopReason}); ${formatTotals(e.totalsBefore)} → ${formatTotals(e.totalsAfter)}`,
        ...(e.error ? [`error: ${e.error}`] : []),
        ...(e.llm ? [`model: ${e.llm.requests} requests, $${e.llm.costUSD.toFixed(2)}`] : []),
        e.commits.length ? `${e.commits.length} commit${e.commits.length === 1 ? '' : 's'} on ${e.branch}` : 'no commits',
        `reports: ${e.reportDir}`,
      ].join('\n');
    default:
      return undefined;
  }
}

function indentTail(tail: string, lines = 15): string {
  const kept = tail.trimEnd().split('\n').slice(-lines).filter((l) => l.trim() !== '');
  return kept.length ? `\n${kept.map((l) => `    | ${l}`).join('\n')}` : '';
}

async function initCommand(cwd: string, force: boolean): Promise<number> {
  try {
    const { file, policy, notes } = initPolicy(await repoRoot(cwd).catch(() => cwd), { force });
    process.stderr.write(`${notes.map((n) => `found ${n}`).join('\n')}\nwrote ${file}\n`);
    process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InitError) {
      process.stderr.write(`fixloop: ${err.message}\n`);
      return EXIT.usage;
    }
    return reportError(err);
  }
}

async function statusCommand(cwd: string, runId: string | undefined, json: boolean): Promise<number> {
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
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

async function reportCommand(cwd: string, runId: string | undefined): Promise<number> {
  try {
    const s = runStatus(await repoRoot(cwd), runId);
    const summary = s.reports.find((r) => r.endsWith('summary.md')) ?? s.reports.filter((r) => r.endsWith('.md')).at(-1);
    if (!summary || !existsSync(summary)) {
      process.stderr.write(`fixloop: run ${s.runId} has no report yet (${s.state}).\n`);
      return EXIT.usage;
    }
    process.stdout.write(readFileSync(summary, 'utf8'));
    process.stderr.write(`\nreports of run ${s.runId}:\n${s.reports.map((r) => `  ${r}`).join('\n')}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

async function demoCommand(flags: RunFlags): Promise<number> {
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
