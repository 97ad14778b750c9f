// The deploy stage: commands run after an iteration (by default only a green one). A failure is an
// environment blocker (the machine, not the code) or a real failure; both are reported with evidence.
import type { DeployResult } from '../model.js';
import type { Policy } from '../policy/index.js';
import { ENVIRONMENT_ERRORS, lastLines } from '../runners/blocker.js';
import { runCommand } from '../runners/process.js';

/** What a deploy step hits when the machine is not ready: no repair of the code changes it. */
const DEPLOY_BLOCKERS = [
  ENVIRONMENT_ERRORS,
  /daemon (is )?not running|Is the docker daemon running|docker\.sock/i,
  /resource busy|being used by another process|unable to (create|lock)|\.lock\b.*exists|could not acquire lock/i,
  /command not found|: not found\b/,
];

export function classifyDeployFailure(output: string, timedOut: boolean): 'blocked' | 'failed' {
  if (timedOut) return 'blocked';
  return DEPLOY_BLOCKERS.some((p) => p.test(output)) ? 'blocked' : 'failed';
}

export async function runDeploy(deploy: NonNullable<Policy['deploy']>, cwd: string, signal?: AbortSignal): Promise<DeployResult[]> {
  const results: DeployResult[] = [];
  for (const step of deploy.commands) {
    const r = await runCommand(step.command, { cwd, timeoutSec: step.timeoutSec, signal });
    if (r.aborted) throw signal?.reason ?? new Error('deploy aborted');
    const ok = r.exitCode === 0 && !r.timedOut;
    results.push({
      name: step.name,
      command: step.command,
      status: ok ? 'ok' : classifyDeployFailure(r.outputTail, r.timedOut),
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      durationMs: r.durationMs,
      outputTail: lastLines(r.outputTail, 30),
    });
    if (!ok) break; // later steps build on earlier ones
  }
  return results;
}
