import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoopError } from './errors.js';

/**
 * When the process started (clock ticks since boot, from /proc on Linux): with the pid it names
 * one process, since pids are reused. Undefined where it cannot be read.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid lives, but is it still the process that took the lock?
  const started = processStart(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

interface Owner {
  pid: number;
  runId: string;
  started?: string;
}

export interface Lock {
  release(): void;
  /** Set when a lock left by a dead process was taken over. */
  tookOverFrom?: number;
}

/** One loop per repository: `.fixloop/lock` holds the owner's pid; a dead owner's lock is taken over. */
export function acquireLock(root: string, runId: string): Lock {
  const file = path.join(root, '.fixloop', 'lock');
  mkdirSync(path.dirname(file), { recursive: true });
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, started: processStart(process.pid), runId, at: new Date().toISOString() }), { flag: 'wx' });
      return {
        tookOverFrom,
        release: () => {
          const owner = readOwner(file);
          if (owner?.pid === process.pid && owner.runId === runId) rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      if (owner && alive(owner)) {
        throw new LoopError(
          `Another fixloop run (${owner.runId}, pid ${owner.pid}) is working on ${root}. Wait for it to finish, or stop it; its lock is ${file}.`,
          2,
        );
      }
      tookOverFrom = owner?.pid;
      rmSync(file, { force: true });
    }
  }
  throw new LoopError(`Could not take the lock ${file}`, 2);
}

function readOwner(file: string): Owner | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return typeof data.pid === 'number' ? data : undefined;
  } catch {
    return undefined;
  }
}
