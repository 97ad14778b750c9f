// A secret a suite needs (env.pass) can still end up in what a test prints. Its value is never
// stored: journal, logs, reports and commit messages carry [REDACTED] instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { secretRedactor, secretValues } from '../../src/secrets.js';
import { commitMessage } from '../../src/vcs/index.js';
import { makeVitestRepo } from '../helpers/git-repo.js';

const TOKEN = 'tok-9f8e7d6c5b4a39281706';

afterEach(() => vi.unstubAllEnvs());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe('secret values never stored', () => {
  it('a token a test prints is redacted in the journal, the logs and the reports', async () => {
    vi.stubEnv('SERVICE_API_TOKEN', TOKEN);
    const repo = makeVitestRepo({
      'package.json': '{"type":"module"}\n',
      'loop.policy.json': JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, env: { pass: ['SERVICE_API_TOKEN'] } }),
      'test/a.test.ts': "import { expect, it } from 'vitest';\nit('talks to the service', () => { console.log('token is', process.env.SERVICE_API_TOKEN); expect(process.env.SERVICE_API_TOKEN).toBe('expected'); });\n",
    });
    const summary = await createLoop({ cwd: repo, providers: [] }).result;
    expect(summary.totalsAfter.failed).toBe(1);
    const stored = filesUnder(path.join(repo, '.fixloop'));
    expect(stored.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    expect(stored.some((f) => f.endsWith('.log'))).toBe(true);
    expect(stored.some((f) => f.endsWith('iteration-1.md'))).toBe(true);
    for (const file of stored) expect(readFileSync(file, 'utf8'), file).not.toContain(TOKEN);
    expect(readFileSync(stored.find((f) => f.endsWith('iteration-1.json'))!, 'utf8')).toContain('[REDACTED]');
  });

  it('commit messages and the redactor: secret values of the environment and token shapes', () => {
    const env = { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123', SORT_KEY: 'name', HOME: '/root', DB_PASSWORD: 'hunter2hunter2' };
    expect(secretValues(env)).toEqual(['ghp_abcdefghijklmnopqrstuvwxyz0123', 'hunter2hunter2']);
    expect(secretRedactor(env)('push with hunter2hunter2 and sk-ant-api03-abcdefghijkl to /root')).toBe('push with [REDACTED] and [REDACTED] to /root');
    vi.stubEnv('DB_PASSWORD', 'hunter2hunter2');
    const message = commitMessage({
      intent: { type: 'fix', scope: 'db', subject: 'read the password from the environment' },
      files: ['src/db.ts'], rootCause: 'the test expected hunter2hunter2 to be read', fix: 'read it (codefix)',
      before: { tests: 1, passed: 0, failed: 1, skipped: 0, loadErrors: 0 }, after: { tests: 1, passed: 1, failed: 0, skipped: 0, loadErrors: 0 },
      runId: 'r', iteration: 1, provider: 'codefix',
    });
    expect(message).toContain('Root cause: the test expected [REDACTED] to be read');
  });
});
