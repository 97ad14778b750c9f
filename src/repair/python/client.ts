// One long-lived helper.py per run, asked questions as JSON lines: started on the first Python
// problem, ended with the run (and with the process, whatever ends it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const HELPER = fileURLToPath(new URL('./helper.py', import.meta.url));
const TIMEOUT_MS = 30_000;

/** The project's Python could not be started or does not answer: Python repairs are off for the run. */
export class PythonUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonUnavailableError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Never left running: a run that ends without stop() (a crash, process.exit) still ends its helpers.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export class PythonHelper {
  private child?: ChildProcess;
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private failure?: PythonUnavailableError;
  /** How many processes this helper started (one per run is the contract). */
  starts = 0;

  constructor(readonly python: string) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.killed;
  }

  private start(): ChildProcess {
    if (this.failure) throw this.failure;
    if (this.child && this.running) return this.child;
    killAllOnExit();
    // -B: no __pycache__ beside the helper (a checkout or node_modules is not ours to write to).
    const child = spawn(this.python, ['-X', 'utf8', '-I', '-B', HELPER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.starts++;
    this.child = child;
    live.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.stdin!.on('error', () => undefined);
    createInterface({ input: child.stdout! }).on('line', (line) => this.answer(line));
    const fail = (message: string) => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
      const error = new PythonUnavailableError(message);
      if (!this.failure && (this.pending.size > 0 || message.includes('could not start'))) this.failure = error;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(error);
        this.pending.delete(id);
      }
    };
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(`Python repairs are off: could not start ${this.python} (${err.code ?? err.message}); make the pytest suite's command name the project's interpreter (e.g. ".venv/bin/python -m pytest").`),
    );
    child.on('exit', (code, signal) => fail(`Python repairs are off: ${this.python} ${HELPER} ended (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}.`));
    return child;
  }

  private answer(line: string): void {
    let message: { id?: number; ok?: boolean; result?: unknown; error?: string };
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    const waiting = message.id !== undefined ? this.pending.get(message.id) : undefined;
    if (!waiting) return;
    this.pending.delete(message.id!);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(`helper.py ${message.error ?? 'failed'}`));
  }

  /** Asks the helper one question; rejects with PythonUnavailableError when Python cannot answer. */
  request<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    let child: ChildProcess;
    try {
      child = this.start();
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`helper.py did not answer "${op}" within ${TIMEOUT_MS / 1000}s`));
      }, TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  /** Ends the process; a later request starts a new one. */
  stop(): void {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    live.delete(child);
    child.stdin!.end();
    child.kill('SIGTERM');
  }
}
