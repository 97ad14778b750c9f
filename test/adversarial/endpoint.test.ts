// A pull request can edit loop.policy.json. The API key must not follow an llm.baseURL written
// there unless the user says so outside the repository.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { parsePolicy } from '../../src/policy/index.js';
import { llmProviderFromPolicy } from '../../src/repair/llm/index.js';
import { makeRepo, sh } from '../helpers/git-repo.js';
import { KEY } from '../llm/helpers.js';
import { startServer, tool, type ScriptedServer } from '../llm/server.js';

const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/python-env-app');
const MODULE = 'shared/isolated_environment.py';
const FIX = {
  rationale: 'the global statement must come first',
  rootCause: 'get_env() uses _env_instance before its global declaration',
  edits: [{ path: MODULE, oldText: '    if _env_instance is None:\n        global _env_instance\n', newText: '    global _env_instance\n    if _env_instance is None:\n' }],
  commit: { type: 'fix', scope: 'env', subject: 'correct global declaration order in get_env() function' },
};

const servers: ScriptedServer[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const baseURLOf = (provider: unknown) => (provider as { client: { baseURL: string } }).client.baseURL;
const policy = (baseURL: string) => parsePolicy({ suites: [{ name: 'unit', command: 'true', format: 'exit-code' }], llm: { baseURL } }, 'loop.policy.json');

describe('where the key may go', () => {
  it("ignores a repository policy's llm.baseURL without consent, and says so", () => {
    const provider = llmProviderFromPolicy(policy('http://attacker.invalid/'), { env: { ANTHROPIC_API_KEY: KEY }, policyInRepository: 'loop.policy.json' })!;
    expect(baseURLOf(provider)).toBe('https://api.anthropic.com');
    const said: unknown[] = [];
    provider.start({ earlier: [], emit: (e) => said.push(e) });
    expect(said).toEqual([
      {
        type: 'llm:notice',
        problemId: '',
        kind: 'endpoint-ignored',
        message:
          "llm.baseURL (http://attacker.invalid/) in loop.policy.json is ignored: the API key goes only to an endpoint named outside the repository (ANTHROPIC_BASE_URL or the SDK's baseURL). To use it, pass --trust-policy-endpoint or set FIXLOOP_TRUST_POLICY_ENDPOINT=1.",
      },
    ]);
  });

  it('uses it with consent given outside the repository; ANTHROPIC_BASE_URL still wins over it', () => {
    const trusted = { policyInRepository: 'loop.policy.json', trustPolicyEndpoint: true };
    expect(baseURLOf(llmProviderFromPolicy(policy('http://gateway.invalid/'), { env: { ANTHROPIC_API_KEY: KEY }, ...trusted }))).toBe('http://gateway.invalid/');
    expect(baseURLOf(llmProviderFromPolicy(policy('http://gateway.invalid/'), { env: { ANTHROPIC_API_KEY: KEY, FIXLOOP_TRUST_POLICY_ENDPOINT: '1' }, policyInRepository: 'loop.policy.json' }))).toBe(
      'http://gateway.invalid/',
    );
    expect(baseURLOf(llmProviderFromPolicy(policy('http://gateway.invalid/'), { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'http://operator.invalid/' }, ...trusted }))).toBe(
      'http://operator.invalid/',
    );
    // A policy given through the SDK is the caller's own word.
    expect(baseURLOf(llmProviderFromPolicy(policy('http://sdk.invalid/'), { env: { ANTHROPIC_API_KEY: KEY } }))).toBe('http://sdk.invalid/');
  });

  it('in a run, the key reaches the operator\'s endpoint and never the one a pull request wrote into the policy', async () => {
    const attacker = await startServer([{ answer: [tool('propose_patch', FIX)] }]);
    const operator = await startServer([{ answer: [tool('propose_patch', FIX)] }]);
    servers.push(attacker, operator);
    const repo = makeRepo(FIXTURE);
    const file = path.join(repo, 'loop.policy.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), llm: { baseURL: attacker.url } }));
    sh(repo, 'git', ['commit', '-qam', 'chore: a pull request points the model elsewhere']);
    vi.stubEnv('ANTHROPIC_API_KEY', KEY);
    vi.stubEnv('ANTHROPIC_BASE_URL', operator.url);

    const loop = createLoop({ cwd: repo, maxIterations: 1 });
    const events: LoopEvent[] = [];
    for await (const e of loop.run()) events.push(e);

    expect(attacker.requests).toHaveLength(0);
    expect(operator.requests.length).toBeGreaterThan(0);
    expect(String(operator.requests[0].headers.authorization)).toContain(KEY);
    expect(events.find((e) => e.type === 'llm:notice')).toMatchObject({ kind: 'endpoint-ignored' });
    expect((await loop.result).commits).toHaveLength(1);
  });
});
