// Runs one test command and makes sure nothing it started outlives it: the command gets its own
// process group, and timeouts, aborts and the end of the command all end that whole group,
// because test runners leave worker processes behind when only their parent is killed.
import { createWriteStream, mkdirSync, readdirSync, readlinkSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { activeSandbox, sandboxedCommand, writesOutside } from '../sandbox/bwrap.js';
import { secretRedactor } from '../secrets.js';
import { commandEnvironment } from './environment.js';

export interface CommandOptions {
  cwd: string;
  /**
   * Variables the caller sets on top of the user's environment (an SDK user's own choice: fixloop
   * itself adds none, so a suite sees what it sees in the user's terminal).
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

/** Process groups still running, killed if fixloop itself exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * What the command's stdout and stderr are (e.g. "socket:[7371]"), as /proc names them: read from
 * the shell right after it starts, to find later whoever still holds them. Empty off Linux, or
 * when the shell has already ended (then it started nothing that could hold them).
 */
function outputEnds(pid: number): Set<string> {
  const ends = new Set<string>();
  for (const fd of [1, 2]) {
    try {
      ends.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // ENOENT: the shell has ended, or there is no /proc.
    }
  }
  return ends;
}

/**
 * Processes holding the command's output, wherever they are: a daemon started with setsid leaves
 * the process group (so a group kill misses it) but keeps the pipe, and reading it would wait for
 * the daemon, past every time limit.
 */
function holdersOf(ends: Set<string>): number[] {
  if (ends.size === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const holders: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // Gone, or another user's.
    }
    const holds = fds.some((fd) => {
      try {
        return ends.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (holds) holders.push(pid);
  }
  return holders;
}

function killProcesses(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // ESRCH: already gone.
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

/** Keeps the end of a stream of text within a bound, without copying on every chunk. */
class TailBuffer {
  private chunks: string[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    if (this.limit <= 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }

  text(): string {
    const joined = this.chunks.join('');
    if (joined.length <= this.limit) return joined;
    this.truncated = true;
    return joined.slice(joined.length - this.limit);
  }
}

/**
 * Output as plain text, chunk by chunk, for the log file: colour codes removed (the log is read in
 * editors and searched with grep), and a code cut in two by a chunk boundary held back until whole.
 */
class PlainText {
  private pending = '';
  push(chunk: string, end = false): string {
    let text = this.pending + chunk;
    this.pending = '';
    const cut = end ? null : /\u001b(\[[0-9;?]*)?$/.exec(text);
    if (cut) {
      this.pending = cut[0];
      text = text.slice(0, cut.index);
    }
    return stripVTControlCharacters(text);
  }
}

export async function runCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  const keep = new TailBuffer(Math.max(options.keepOutput ?? DEFAULT_KEEP, TAIL));
  if (options.signal?.aborted) {
    return { exitCode: null, timedOut: false, aborted: true, durationMs: 0, outputTail: '', output: '', outputTruncated: false, cwd: options.cwd };
  }

  let log: WriteStream | undefined;
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    log = createWriteStream(options.logFile);
  }

  // The log is stored: a secret's value a test printed is not.
  const redact = secretRedactor();
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
  const pid = subprocess.pid;
  const ends = pid !== undefined ? outputEnds(pid) : new Set<string>();
  if (pid !== undefined) {
    liveGroups.add(pid);
    installExitHook();
  }

  let timedOut = false;
  let aborted = false;
  let forceTimer: NodeJS.Timeout | undefined;
  let stopTimer: NodeJS.Timeout | undefined;
  const graceMs = options.graceMs ?? 1000;
  // The last resort: a holder of the output that could not be killed (another user's, say) must
  // not keep the call waiting; what it writes later is lost, which beats waiting for it.
  const stopReading = (): void => {
    stopTimer ??= setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      subprocess.all?.destroy();
    }, graceMs);
  };
  const killAll = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    killGroup(pid, signal);
    killProcesses(holdersOf(ends), signal);
  };
  const killTree = (): void => {
    if (pid === undefined || forceTimer) return;
    killAll('SIGTERM');
    forceTimer = setTimeout(() => {
      killAll('SIGKILL');
      stopReading();
    }, graceMs);
  };
  const timer =
    options.timeoutSec !== undefined
      ? setTimeout(() => {
          timedOut = true;
          killTree();
        }, options.timeoutSec * 1000)
      : undefined;
  const onAbort = (): void => {
    aborted = true;
    killTree();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // Background children may hold the output pipe open after the shell exits; ending them (the
  // group, and whoever left it but kept the pipe) when the shell exits closes it, and leaves no
  // orphans behind.
  // The scan of /proc waits a moment: most commands' output ends with them, and needs no search.
  let outputEnded = false;
  subprocess.all?.once('end', () => (outputEnded = true));
  let exitTimer: NodeJS.Timeout | undefined;
  subprocess.once('exit', () => {
    if (pid !== undefined) killGroup(pid, 'SIGKILL');
    exitTimer = setTimeout(() => {
      if (outputEnded) return;
      killAll('SIGKILL');
      stopReading();
    }, 50);
  });

  subprocess.all?.setEncoding('utf8');
  const plain = new PlainText();
  subprocess.all?.on('data', (chunk: string) => {
    keep.push(chunk);
    if (!log && !options.onOutput) return;
    const text = plain.push(chunk);
    options.onOutput?.(text);
    if (log) log.write(redact(text));
  });

  const result = await subprocess;
  clearTimeout(timer);
  clearTimeout(forceTimer);
  clearTimeout(stopTimer);
  clearTimeout(exitTimer);
  options.signal?.removeEventListener('abort', onAbort);
  if (pid !== undefined) {
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }
  const rest = log || options.onOutput ? plain.push('', true) : '';
  options.onOutput?.(rest);
  if (log) {
    log.write(redact(rest));
    const stream = log;
    await new Promise<void>((resolve) => stream.end(resolve));
  }

  const output = stripVTControlCharacters(keep.text()).replace(/\r\n?/g, '\n');
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    timedOut,
    aborted,
    durationMs: Math.round(performance.now() - started),
    outputTail: output.slice(-TAIL),
    output,
    outputTruncated: keep.truncated,
    cwd: options.cwd,
    pid,
    ...(pid === undefined && result.failed ? { spawnError: result.shortMessage } : {}),
    ...(sandbox ? { sandboxed: true, deniedWrites: writesOutside(output) } : {}),
  };
}
