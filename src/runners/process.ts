// Runs one test command and makes sure nothing it started outlives it: the command gets its own
// process group, and timeouts, aborts and the end of the command all end that whole group,
// because test runners leave worker processes behind when only their parent is killed.
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { activeSandbox, sandboxedCommand, writesOutside } from '../sandbox/bwrap.js';
import { commandEnvironment } from './environment.js';
import { OutputSink } from './output-sink.js';
import { reap } from './process-tree.js';

export interface CommandOptions {
  cwd: string;
  /**
   * Variables the caller sets on top of the user's environment (an SDK user's own choice: fixloop
   * itself adds only the argv preload of runner-argv.ts, which the runner takes away before a test
   * runs, so a suite sees what it sees in the user's terminal).
   */
  env?: Record<string, string>;
  /** The whole process tree is killed after this many seconds. */
  timeoutSec?: number;
  signal?: AbortSignal;
  /** Receives the full output (stdout and stderr, interleaved), colour codes removed. */
  logFile?: string;
  /** How much of the output's end to keep for parsing, in characters (default 4 MB). */
  keepOutput?: number;
  /** Time between SIGTERM and SIGKILL when the tree is killed (default 1000 ms). */
  graceMs?: number;
  /** Receives the output as it comes (colour codes removed): live progress. */
  onOutput?: (text: string) => void;
}

export interface CommandResult {
  /** null when the command was ended by a signal. */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** The last 64 KB of output, colour codes removed: evidence for messages. */
  outputTail: string;
  /**
   * The last `keepOutput` characters of output, for parsers (runners print their summaries last),
   * with colour and other terminal codes removed (as in the log file): a runner colours its output
   * when the user's environment asks for it (FORCE_COLOR, CI), and the parsers read plain text.
   */
  output: string;
  /** True when `output` lost its beginning to the bound. */
  outputTruncated: boolean;
  /** The directory the command ran in. */
  cwd?: string;
  /** Process id of the shell (and id of its process group). */
  pid?: number;
  /** Set when the command could not be started at all. */
  spawnError?: string;
  /** The command ran in the sandbox (see src/sandbox). */
  sandboxed?: boolean;
  /** Paths outside its writable directories that the sandboxed command tried to write. */
  deniedWrites?: string[];
}

const TAIL = 64 * 1024;
const DEFAULT_KEEP = 4 * 1024 * 1024;

export async function runCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  if (options.signal?.aborted) {
    return { exitCode: null, timedOut: false, aborted: true, durationMs: 0, outputTail: '', output: '', outputTruncated: false, cwd: options.cwd };
  }
  const sink = new OutputSink(Math.max(options.keepOutput ?? DEFAULT_KEEP, TAIL), options.logFile, options.onOutput);
  // Untrusted code (a model's candidate under verification) runs inside the sandbox its caller set up.
  const sandbox = activeSandbox();
  const subprocess = execa(sandbox ? sandboxedCommand(command, options.cwd, sandbox) : command, {
    shell: true,
    cwd: options.cwd,
    // The user's environment minus secrets, exactly: never the parent's whole environment.
    env: { ...commandEnvironment().env, ...options.env },
    extendEnv: false,
    // Its own process group, so that process.kill(-pid) reaches every worker it spawns.
    detached: true,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
  });
  const reaping = reap(subprocess, { timeoutSec: options.timeoutSec, signal: options.signal, graceMs: options.graceMs ?? 1000 });
  subprocess.all?.setEncoding('utf8');
  subprocess.all?.on('data', (chunk: string) => sink.push(chunk));

  const result = await subprocess;
  reaping.done();
  await sink.close();
  const output = sink.text();
  const pid = subprocess.pid;
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    timedOut: reaping.timedOut,
    aborted: reaping.aborted,
    durationMs: Math.round(performance.now() - started),
    outputTail: output.slice(-TAIL),
    output,
    outputTruncated: sink.truncated,
    cwd: options.cwd,
    pid,
    ...(pid === undefined && result.failed ? { spawnError: result.shortMessage } : {}),
    ...(sandbox ? { sandboxed: true, deniedWrites: writesOutside(output) } : {}),
  };
}
