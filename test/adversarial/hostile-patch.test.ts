// A model's patch is untrusted. Each test here is an attack by a scripted model server, answered
// through the real SDK, and the outcome fixloop promises.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { makeRepo, sh } from '../helpers/git-repo.js';
import { provider } from '../llm/helpers.js';
import { startServer, tool, type ScriptedServer } from '../llm/server.js';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/python-env-app');
const MODULE = 'shared/isolated_environment.py';
const FIX_EDIT = { path: MODULE, oldText: '    if _env_instance is None:\n        global _env_instance\n', newText: '    global _env_instance\n    if _env_instance is None:\n' };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(repo: string, url: string) {
  const loop = createLoop({ cwd: repo, providers: [provider(url)], maxIterations: 1 });
  const events: LoopEvent[] = [];
  for await (const event of loop.run()) events.push(event);
  return { events, summary: await loop.result };
}

describe('output that cannot attack its reader', () => {
  it('strips escape sequences and escapes HTML from a model-written subject and root cause', async () => {
    const hostile = {
      rationale: 'moves the declaration first',
      rootCause: 'the global comes late <img src=x onerror=alert(1)>\u001b[2J<script>alert(2)</script>',
      edits: [FIX_EDIT],
      commit: { type: 'fix', scope: 'env', subject: 'correct global order\u001b]0;pwned\u0007 in get_env()' },
    };
    server = await startServer([{ answer: [tool('propose_patch', hostile)] }]);
    const repo = makeRepo(FIXTURE);
    const { summary } = await run(repo, server.url);

    expect(summary.commits).toHaveLength(1);
    const message = sh(repo, 'git', ['log', '-1', '--format=%B', summary.branch]);
    expect(message.split('\n')[0]).toBe('fix(env): correct global order in get_env()');
    expect(message).toContain('Root cause: the global comes late <img src=x onerror=alert(1)><script>alert(2)</script>');
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);

    const md = readFileSync(path.join(summary.reportDir, 'iteration-1.md'), 'utf8');
    expect(md).toContain('**Root cause:** the global comes late &lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(md).not.toMatch(/<img|<script|\u001b|\u0007/);
    const html = readFileSync(path.join(summary.reportDir, 'summary.html'), 'utf8');
    expect(html).not.toMatch(/<img|<script>alert|\u001b|\u0007/);
    expect(readFileSync(path.join(summary.reportDir, 'summary.md'), 'utf8')).not.toMatch(/\u001b|\u0007/);
  });
});

describe('guards on the test harness', () => {
  it('rejects a patch that makes the code pass only under pytest, never applied, never committed', async () => {
    const underPytest = {
      rationale: 'skip the broken code under test',
      rootCause: 'get_env() fails to compile',
      edits: [{ path: MODULE, oldText: 'def get_env():\n', newText: "def get_env():\n    if 'pytest' in sys.modules:\n        return IsolatedEnvironment()\n" }],
      commit: { type: 'fix', scope: 'env', subject: 'return a fresh environment under test' },
    };
    server = await startServer([{ answer: [tool('propose_patch', underPytest)] }]);
    const repo = makeRepo(FIXTURE);
    const { events, summary } = await run(repo, server.url);

    const reasons = events.filter((e) => e.type === 'candidate:rejected').map((e) => (e as { reason: string }).reason);
    expect(reasons).toEqual(["shared/isolated_environment.py: the change detects pytest ('pytest' in sys.modules)"]);
    expect(summary.commits).toHaveLength(0);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
    expect(events.some((e) => e.type === 'candidate:verified')).toBe(false);
  });
});
