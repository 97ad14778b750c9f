// A command's whole process tree, ended when it must be: its process group on time-out, abort
// and the shell's exit, and whoever left the group but kept its output (a setsid daemon) too; and
// the last resort of not waiting for output a holder that cannot be killed keeps open.
import { readdirSync, readlinkSync } from 'node:fs';
import type { ResultPromise } from 'execa';

/** Process groups still running, killed if fixloop itself exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function killGroup(pid: number, signal: NodeJS.Signals): void {
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


export interface Reaping {
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The command has ended: timers off, the group killed for good, forgotten. */
  done(): void;
}

export interface ReapOptions {
  timeoutSec?: number;
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL, and between SIGKILL and no longer reading the output. */
  graceMs: number;
}

/** Watches a command started in its own process group (execa's `detached`) until done() is called. */
export function reap(child: ResultPromise, opts: ReapOptions): Reaping {
  const pid = child.pid;
  const ends = pid !== undefined ? outputEnds(pid) : new Set<string>();
  if (pid !== undefined) {
    liveGroups.add(pid);
    installExitHook();
  }
  const state = { timedOut: false, aborted: false };
  const timers: NodeJS.Timeout[] = [];
  const later = (fn: () => void, ms: number): void => void timers.push(setTimeout(fn, ms));
  let forced = false;
  let stopping = false;
  // The last resort: a holder of the output that could not be killed (another user's, say) must
  // not keep the call waiting; what it writes later is lost, which beats waiting for it.
  const stopReading = (): void => {
    if (stopping) return;
    stopping = true;
    later(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.all?.destroy();
    }, opts.graceMs);
  };
  const killAll = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    killGroup(pid, signal);
    killProcesses(holdersOf(ends), signal);
  };
  const killTree = (): void => {
    if (pid === undefined || forced) return;
    forced = true;
    killAll('SIGTERM');
    later(() => {
      killAll('SIGKILL');
      stopReading();
    }, opts.graceMs);
  };
  if (opts.timeoutSec !== undefined) {
    later(() => {
      state.timedOut = true;
      killTree();
    }, opts.timeoutSec * 1000);
  }
  const onAbort = (): void => {
    state.aborted = true;
    killTree();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Background children may hold the output pipe open after the shell exits; ending them (the
  // group, and whoever left it but kept the pipe) when the shell exits closes it, and leaves no
  // orphans behind. The scan of /proc waits a moment: most commands' output ends with them.
  let outputEnded = false;
  child.all?.once('end', () => (outputEnded = true));
  child.once('exit', () => {
    if (pid !== undefined) killGroup(pid, 'SIGKILL');
    later(() => {
      if (outputEnded) return;
      killAll('SIGKILL');
      stopReading();
    }, 50);
  });
  return {
    get timedOut() {
      return state.timedOut;
    },
    get aborted() {
      return state.aborted;
    },
    done() {
      for (const timer of timers) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (pid === undefined) return;
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    },
  };
}
