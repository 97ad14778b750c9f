// A pull request can edit loop.policy.json. The API key must not follow an llm.baseURL written
// there unless the user says so outside the repository.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import type { LoopEvent } from '../../src/model.js';
import { parsePolicy } from '../../src/policy/index.js';
import { llmProviderFromPolicy } from '../../src/repair/llm/index.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { COUNTER } from '../helpers/loop-fixtures.js';
import { KEY } from '../llm/helpers.js';
import { startServer, tool, type ScriptedServer } from '../llm/server.js';

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
    // A logic bug: no deterministic provider has a candidate, so the model is asked.
    const fix = {
      rationale: 'next() must add one',
      rootCause: 'next() adds two',
      edits: [{ path: 'src/counter.ts', oldText: 'export const next = (n: number) => n + 2;', newText: 'export const next = (n: number) => n + 1;' }],
      commit: { type: 'fix', subject: 'add one in next()' },
    };
    const attacker = await startServer([{ answer: [tool('propose_patch', fix)] }]);
    const operator = await startServer([{ answer: [tool('propose_patch', fix)] }]);
    servers.push(attacker, operator);
    const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, llm: { baseURL: attacker.url } });
    const repo = makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
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
