// The environment of the commands fixloop runs: the user's, as it is, minus secrets.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSecret, passVariables, userEnvironment, withEnvironment } from '../../src/runners/environment.js';
import { runCommand } from '../../src/runners/process.js';
import { runSuites } from '../../src/runners/index.js';
import { tmpProject } from './projects.js';

describe('isSecret', () => {
  it.each([
    ['ANTHROPIC_API_KEY', 'sk-ant-api03-abcdefgh'],
    ['OPENAI_API_KEY', 'x'],
    ['GITHUB_TOKEN', 'x'],
    ['GH_TOKEN', 'x'],
    ['NPM_TOKEN', 'x'],
    ['NODE_AUTH_TOKEN', 'x'],
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS_SECRET_ACCESS_KEY', 'x'],
    ['AWS_SESSION_TOKEN', 'x'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/home/u/gcp.json'],
    ['DB_PASSWORD', 'hunter2'],
    ['PGPASSWORD', 'hunter2'],
    ['CLIENT_SECRET', 'x'],
    ['npm_config__authToken', 'x'],
    ['STRIPE_KEY', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['MY_SETTING', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['DATABASE_URL', 'postgres://app:s3cret@db.example.com:5432/app'],
  ])('withholds %s', (name, value) => {
    expect(isSecret(name, value)).toBe(true);
  });

  it.each([
    ['CI', 'true'],
    ['FORCE_COLOR', '1'],
    ['NO_COLOR', '1'],
    ['PATH', '/usr/bin:/bin'],
    ['HOME', '/home/u'],
    ['NODE_OPTIONS', '--max-old-space-size=4096'],
    ['SSH_AUTH_SOCK', '/tmp/ssh-x/agent.1'],
    ['SORT_KEY', 'name'],
    ['SSL_KEY', '/etc/ssl/private/server.key'],
    ['TOKENIZERS_PARALLELISM', 'false'],
    ['ANTHROPIC_BASE_URL', 'http://localhost:8080'],
    ['DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/test'],
    ['REDIS_URL', 'redis://127.0.0.1:6379'],
  ])('lets %s through', (name, value) => {
    expect(isSecret(name, value)).toBe(false);
  });
});

describe('userEnvironment', () => {
  it('is the source minus secrets, names the withheld ones, and lets the policy pass some through', () => {
    const source = { PATH: '/bin', CI: '1', GITHUB_TOKEN: 'ghp_x', STRIPE_TEST_TOKEN: 'tok', EMPTY: '' };
    expect(userEnvironment([], source)).toEqual({ env: { PATH: '/bin', CI: '1', EMPTY: '' }, withheld: ['GITHUB_TOKEN', 'STRIPE_TEST_TOKEN'] });
    expect(userEnvironment(['STRIPE_TEST_TOKEN'], source)).toEqual({
      env: { PATH: '/bin', CI: '1', EMPTY: '', STRIPE_TEST_TOKEN: 'tok' },
      withheld: ['GITHUB_TOKEN'],
    });
  });
});

describe('the environment of a command', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpProject();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  const show = 'echo "CI=${CI-unset} NO_COLOR=${NO_COLOR-unset} FORCE_COLOR=${FORCE_COLOR-unset} KEY=${ANTHROPIC_API_KEY-unset} GH=${GITHUB_TOKEN-unset} MINE=${MY_SETTING-unset}"';

  it("is the user's own: nothing added, nothing taken but secrets", async () => {
    vi.stubEnv('CI', undefined);
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', '1');
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-test-1234567890');
    vi.stubEnv('GITHUB_TOKEN', 'ghp_abcdefghijklmnopqrstuvwxyz0123');
    vi.stubEnv('MY_SETTING', 'on');
    const result = await runCommand(show, { cwd: dir });
    expect(result.output).toBe('CI=unset NO_COLOR=unset FORCE_COLOR=1 KEY=unset GH=unset MINE=on\n');
  });

  it('lets through what env.pass names, only within the run that set it', async () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv('GITHUB_TOKEN', 'ghp_abcdefghijklmnopqrstuvwxyz0123');
    const inside = withEnvironment(async () => {
      passVariables(['GITHUB_TOKEN']);
      return (await runCommand(show, { cwd: dir })).output;
    });
    const alongside = runCommand(show, { cwd: dir });
    expect(await inside).toMatch(/^CI=true .* GH=ghp_abcdefghijklmnopqrstuvwxyz0123 /);
    expect((await alongside).output).toMatch(/^CI=true .* GH=unset /);
    expect((await runCommand(show, { cwd: dir })).output).toMatch(/ GH=unset /);
  });

  it('refuses env.pass outside a scope, where it would reach no command', () => {
    expect(() => passVariables(['X'])).toThrow(/outside withEnvironment/);
  });
});

describe('a suite that looks at its environment', () => {
  let root: string;
  beforeEach(() => {
    root = tmpProject('passing');
    // The way a suite checks that it runs outside CI, and a test that prints a credential's presence.
    mkdirSync(path.join(root, 'test'), { recursive: true });
    writeFileSync(
      path.join(root, 'test', 'env.test.ts'),
      [
        "import { expect, it } from 'vitest';",
        "it('runs outside CI', () => { expect(process.env.CI).toBeUndefined(); });",
        "it('sees no key', () => { expect(process.env.ANTHROPIC_API_KEY).toBeUndefined(); });",
        '',
      ].join('\n'),
    );
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(root, { recursive: true, force: true });
  });

  const statuses = async () => {
    const run = await runSuites([{ name: 'unit', command: 'npx vitest run test/env.test.ts', format: 'auto', timeoutSec: 120 }], { cwd: root });
    return run.suites[0].tests.map((t) => [t.fullName, t.status]);
  };

  it('passes under fixloop when it passes for the user, fails when it fails for the user, and never sees the key', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-test-1234567890');
    vi.stubEnv('CI', undefined);
    expect(await statuses()).toEqual([
      ['runs outside CI', 'passed'],
      ['sees no key', 'passed'],
    ]);
    vi.stubEnv('CI', 'true');
    expect(await statuses()).toEqual([
      ['runs outside CI', 'failed'],
      ['sees no key', 'passed'],
    ]);
  }, 60_000);
});
