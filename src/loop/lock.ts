import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LoopError } from './errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
      writeFileSync(file, JSON.stringify({ pid: process.pid, runId, at: new Date().toISOString() }), { flag: 'wx' });
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
      if (owner && alive(owner.pid)) {
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

function readOwner(file: string): { pid: number; runId: string } | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    return typeof data.pid === 'number' ? data : undefined;
  } catch {
    return undefined;
  }
}
