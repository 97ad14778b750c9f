import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { makeRepo, sh } from '../helpers/git-repo.js';
import { startServer, text, tool, type ScriptedServer } from './server.js';
import { provider } from './helpers.js';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/python-env-app');
const MODULE = 'shared/isolated_environment.py';

const FIX = {
  rationale: 'Python requires the global statement before any use of the name in the function; moving it first makes the module compile.',
  rootCause: "get_env() reads _env_instance before its `global _env_instance` declaration, so the module fails to compile with a SyntaxError and every test errors at import.",
  edits: [{ path: MODULE, oldText: '    if _env_instance is None:\n        global _env_instance\n', newText: '    global _env_instance\n    if _env_instance is None:\n' }],
  commit: { type: 'fix', scope: 'env', subject: 'correct global declaration order in get_env() function' },
};

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(repo: string, url: string) {
  const loop = createLoop({ cwd: repo, providers: [provider(url)] });
  const events: LoopEvent[] = [];
  for await (const event of loop.run()) events.push(event);
  return { events, summary: await loop.result };
}

describe('the llm provider in the loop', () => {
  it('repairs the Python service end to end: pytest, the model, the patch, verification, the commit', async () => {
    server = await startServer([
      { answer: [text('Let me read the module.'), tool('read_file', { path: MODULE, startLine: 26, endLine: 32 })] },
      { answer: [tool('propose_patch', FIX)] },
    ]);
    const repo = makeRepo(FIXTURE);
    const { events, summary } = await run(repo, server.url);

    const problem = events.find((e) => e.type === 'problem:found');
    expect(problem).toMatchObject({ problem: { kind: 'syntax', location: { file: MODULE, line: 30 } } });
    expect(server.requests).toHaveLength(2);
    const first: string = server.requests[0].body.messages[0].content[0].text;
    expect(first).toContain("SyntaxError: name '_env_instance' is used prior to global declaration");
    expect(first).toContain(`${MODULE}:10-39 (of 39 lines):`);
    expect(first).toContain('30\t        global _env_instance');

    expect(summary.status).toBe('green');
    expect(summary.stopReason).toBe('green');
    expect(summary.totalsBefore).toEqual({ tests: 0, passed: 0, failed: 0, skipped: 0, loadErrors: 2 });
    expect(summary.totalsAfter).toEqual({ tests: 6, passed: 6, failed: 0, skipped: 0, loadErrors: 0 });
    expect(summary.commits).toHaveLength(1);
    const message = sh(repo, 'git', ['log', '-1', '--format=%B', summary.branch]);
    expect(message.split('\n')[0]).toBe('fix(env): correct global declaration order in get_env() function');
    expect(message).toContain(`Root cause: ${FIX.rootCause}`);
    expect(message).toContain('Fixloop-Provider: llm');
    expect(sh(repo, 'git', ['show', '--format=', summary.branch]).split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '+    global _env_instance',
      '-        global _env_instance',
    ]);
  });

  it('lets the guard reject a patch to a test file: never applied, never committed', async () => {
    const tamper = {
      ...FIX,
      edits: [{ path: 'tests/test_environment.py', oldText: 'from shared.isolated_environment import', newText: 'from shared.isolated_environment_fixed import' }],
      commit: { type: 'fix', scope: 'env', subject: 'import the fixed module' },
    };
    server = await startServer([{ answer: [tool('propose_patch', tamper)] }]);
    const repo = makeRepo(FIXTURE);
    const before = readFileSync(path.join(repo, 'tests/test_environment.py'), 'utf8');
    const { events, summary } = await run(repo, server.url);

    const proposed = events.find((e) => e.type === 'candidate:proposed');
    expect(proposed).toMatchObject({ provider: 'llm', files: ['tests/test_environment.py'] });
    const rejected = events.filter((e) => e.type === 'candidate:rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: 'tests/test_environment.py is a protected path' });
    expect(events.some((e) => e.type === 'candidate:verified' || e.type === 'fix:committed')).toBe(false);
    expect(summary.commits).toEqual([]);
    expect(summary.stopReason).toBe('no-progress');
    expect(readFileSync(path.join(repo, 'tests/test_environment.py'), 'utf8')).toBe(before);
    expect(sh(repo, 'git', ['status', '--porcelain'])).toBe('');
  });
});
