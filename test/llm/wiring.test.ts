// The loop builds the llm provider itself, from the policy and the environment, as `fixloop run` does.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { makeRepo, sh } from '../helpers/git-repo.js';
import { KEY } from './helpers.js';
import { startServer, tool, type ScriptedServer } from './server.js';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/python-env-app');
const MODULE = 'shared/isolated_environment.py';
const FIX = {
  rationale: '"yes" is one of the spellings of true the tests expect.',
  rootCause: 'get_bool() does not accept "yes" as true.',
  edits: [{ path: MODULE, oldText: 'in ("1", "true", "on")', newText: 'in ("1", "true", "yes", "on")' }],
  commit: { type: 'fix', scope: 'env', subject: 'accept yes as true in get_bool()' },
};

/**
 * The Python service with a logic bug, which no deterministic provider can fix (the fixture's own
 * declaration-order bug is theirs now): only the model has a candidate.
 */
function logicBugRepo(): string {
  const repo = makeRepo(FIXTURE);
  const file = path.join(repo, MODULE);
  const text = readFileSync(file, 'utf8')
    .replace('    if _env_instance is None:\n        global _env_instance\n', '    global _env_instance\n    if _env_instance is None:\n')
    .replace('in ("1", "true", "yes", "on")', 'in ("1", "true", "on")');
  writeFileSync(file, text);
  sh(repo, 'git', ['commit', '-qam', 'a logic bug']);
  return repo;
}

let server: ScriptedServer | undefined;
const saved = { ...process.env };
beforeEach(() => {
  delete process.env.ANTHROPIC_API_KEY;
  delete process.env.ANTHROPIC_BASE_URL;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  process.env = { ...saved };
});

async function runLoop(repo: string, llm: { disabled?: boolean } = {}) {
  const loop = createLoop({ cwd: repo, llm });
  const events: LoopEvent[] = [];
  for await (const e of loop.run()) events.push(e);
  return { events, summary: await loop.result };
}

function useServer(url: string): void {
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = url;
}

describe('the loop builds the llm provider from policy and environment', () => {
  it('asks the model after the deterministic providers, commits its fix, and reports what it spent', async () => {
    server = await startServer([{ answer: [tool('propose_patch', FIX)] }]);
    useServer(server.url);
    const { events, summary } = await runLoop(logicBugRepo());
    expect(summary.status).toBe('green');
    expect(summary.commits.map((c) => [c.provider, c.message.split('\n')[0]])).toEqual([['llm', 'fix(env): accept yes as true in get_bool()']]);
    expect(events.filter((e) => e.type === 'llm:usage')).toHaveLength(1);
    expect(summary.llm?.requests).toBe(1);
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'run:end', llm: { requests: 1 } });
    expect(readFileSync(path.join(summary.reportDir, 'summary.md'), 'utf8')).toMatch(/\| tokens \| \d+ in 1 request /);
  });

  it('never calls the model with --no-llm, even with a key', async () => {
    server = await startServer([{ answer: [tool('propose_patch', FIX)] }]);
    useServer(server.url);
    const { summary } = await runLoop(logicBugRepo(), { disabled: true });
    expect(server.requests).toHaveLength(0);
    expect(summary.stopReason).toBe('nothing-fixable');
  });

  it('stops the run cleanly with status error when the key is rejected (401)', async () => {
    server = await startServer([{ status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' }]);
    useServer(server.url);
    const { events, summary } = await runLoop(logicBugRepo());
    expect(summary.status).toBe('error');
    expect(summary.stopReason).toBe('fatal');
    expect(summary.error).toMatch(/401/);
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'error', error: summary.error });
    expect(summary.reports.map((r) => path.basename(r))).toEqual(['iteration-1.md', 'iteration-1.json', 'summary.md', 'summary.html']);
  });

  it('ends a stalled model stream at llm.idleTimeoutSec with an outage notice, and the run ends cleanly', async () => {
    server = await startServer([{ stall: 'silent' }]);
    useServer(server.url);
    const repo = logicBugRepo();
    const policy = JSON.parse(readFileSync(path.join(repo, 'loop.policy.json'), 'utf8'));
    writeFileSync(path.join(repo, 'loop.policy.json'), JSON.stringify({ ...policy, llm: { idleTimeoutSec: 0.5, maxRetries: 0 } }));
    sh(repo, 'git', ['commit', '-qam', 'a short idle timeout']);
    const { events, summary } = await runLoop(repo);
    expect(server.requests).toHaveLength(1);
    expect(events.filter((e) => e.type === 'llm:notice')).toMatchObject([
      { kind: 'outage', message: 'the Messages API stream stalled: no data for 0.5s (llm.idleTimeoutSec)' },
    ]);
    expect([summary.status, summary.stopReason]).toEqual(['failing', 'nothing-fixable']);
  });

  it('stops with stop reason "budget" before sending a request the token budget cannot cover', async () => {
    server = await startServer([{ answer: [tool('read_file', { path: MODULE })] }, { answer: [tool('propose_patch', FIX)] }]);
    useServer(server.url);
    const repo = logicBugRepo();
    const policy = JSON.parse(readFileSync(path.join(repo, 'loop.policy.json'), 'utf8'));
    writeFileSync(path.join(repo, 'loop.policy.json'), JSON.stringify({ ...policy, budget: { ...policy.budget, maxTokens: 50 } }));
    sh(repo, 'git', ['commit', '-qam', 'tight budget']);
    const { events, summary } = await runLoop(repo);
    expect(server.requests).toHaveLength(0); // the first request alone is estimated above 50 tokens
    expect(events.find((e) => e.type === 'budget:spent')).toMatchObject({ budget: 'maxTokens', limit: 50 });
    expect(summary.stopReason).toBe('budget');
    expect(summary.status).toBe('failing');
  });
});
