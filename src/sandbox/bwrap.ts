// Verification runs a candidate's code. A model's candidate is untrusted, so on Linux its test runs
// go through bubblewrap: the whole file system read-only (the user's checkout and home included),
// only the candidate's worktree and a private temp directory writable, no network unless the
// policy allows it, and every process ended with the sandbox.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { shellQuote } from '../runners/command-line.js';

export type SandboxMode = 'auto' | 'required' | 'off';

export interface SandboxSpec {
  /** Directories the sandboxed command may write (the worktree, a report directory…); others are read-only. */
  writable: string[];
  /** A private directory that stands in for the temp directory (TMPDIR points there). */
  tmpDir: string;
  network: boolean;
}

/** What a verification ran in, for the report. */
export type Isolation = { kind: 'bwrap'; network: boolean } | { kind: 'none'; why: string };

/** The sandbox was required by the policy and cannot be had. */
export class SandboxUnavailableError extends Error {
  constructor(why: string) {
    super(`verify.sandbox is "required" but no sandbox can run here: ${why}. Install bubblewrap (Debian: apt-get install bubblewrap) or set verify.sandbox to "auto".`);
    this.name = 'SandboxUnavailableError';
  }
}

let probed: { ok: true } | { ok: false; why: string } | undefined;

/** Whether bubblewrap runs here (installed, and allowed to make its namespaces); probed once. */
export function bwrapStatus(): { ok: true } | { ok: false; why: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { ok: false, why: `bubblewrap is Linux only (this is ${process.platform})` });
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--die-with-parent', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? (probed = { ok: false, why: 'bwrap is not installed' }) : (probed = { ok: false, why: probe.error.message });
  if (probe.status !== 0) return (probed = { ok: false, why: `bwrap cannot start here: ${probe.stderr.trim().split('\n')[0] || `exit ${probe.status}`}` });
  return (probed = { ok: true });
}

/** The isolation a run gets under `mode`; throws when the policy requires a sandbox that cannot run. */
export function isolationFor(mode: SandboxMode, network: boolean): Isolation {
  if (mode === 'off') return { kind: 'none', why: 'verify.sandbox is "off"' };
  const status = bwrapStatus();
  if (status.ok) return { kind: 'bwrap', network };
  if (mode === 'required') throw new SandboxUnavailableError(status.why);
  return { kind: 'none', why: status.why };
}

/** The shell command that runs `command` in `cwd` inside the sandbox. */
export function sandboxedCommand(command: string, cwd: string, spec: SandboxSpec): string {
  const real = (dir: string) => (existsSync(dir) ? realpathSync(dir) : dir);
  const args = ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  // Mounted after the empty /tmp, so that a worktree under /tmp is there again, writable.
  for (const dir of [...new Set([real(spec.tmpDir), ...spec.writable.filter(existsSync).map(real)])]) args.push('--bind', dir, dir);
  args.push('--setenv', 'TMPDIR', real(spec.tmpDir), '--unshare-pid', '--unshare-ipc', '--die-with-parent');
  if (!spec.network) args.push('--unshare-net');
  args.push('--chdir', real(cwd), '/bin/sh', '-c', command);
  return args.map(shellQuote).join(' ');
}

/**
 * The paths outside the writable directories that the run tried to write, from the errors it
 * printed (Node's `EROFS: read-only file system, open '/x'`, Python's `[Errno 30] Read-only file
 * system: '/x'`, coreutils' `cannot touch '/x': Read-only file system`, the shell's `/x: Read-only
 * file system`).
 */
export function writesOutside(output: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /EROFS[^\n']*'([^'\n]+)'/g,
    /\[Errno 30\] Read-only file system: '([^'\n]+)'/g,
    /'(\/[^'\n]+)': Read-only file system/g,
    /(?:^|\s)(\/[^\s:']+): Read-only file system/gm,
  ];
  for (const pattern of patterns) for (const m of output.matchAll(pattern)) found.add(m[1]);
  return [...found];
}
