import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLoop } from '../../src/loop/index.js';
import { classifyDeployFailure } from '../../src/loop/deploy.js';
import { IterationReportSchema } from '../../src/report/index.js';
import { makeVitestRepo } from '../helpers/git-repo.js';
import { collect, COUNTER, COUNTER_FIXED, scripted } from '../helpers/loop-fixtures.js';

describe('classifyDeployFailure', () => {
  it.each([
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', false, 'blocked'],
    ["Error: EBUSY: resource busy or locked, rename 'dist'", false, 'blocked'],
    ['connect ECONNREFUSED 127.0.0.1:5432', false, 'blocked'],
    ['sh: 1: kubectl: not found', false, 'blocked'],
    ['', true, 'blocked'],
    ['migration 0042_add_index failed: duplicate key', false, 'failed'],
  ] as const)('%j → %s', (output, timedOut, kind) => {
    expect(classifyDeployFailure(output, timedOut)).toBe(kind);
  });
});

function repoWithDeploy(deploy: object): string {
  const policy = JSON.stringify({ suites: [{ name: 'unit', command: 'npx vitest run', timeoutSec: 120 }], flaky: { reruns: 0 }, deploy });
  return makeVitestRepo({ ...COUNTER, 'loop.policy.json': policy });
}

describe('the deploy stage', () => {
  it('runs after the iteration that ends green; a blocked step is reported with its evidence and does not fail the run', async () => {
    const repo = repoWithDeploy({
      commands: [
        { name: 'build', command: 'echo built' },
        { name: 'staging', command: 'echo "Cannot connect to the Docker daemon. Is the docker daemon running?" >&2; exit 1', timeoutSec: 30 },
        { name: 'smoke', command: 'echo never reached' },
      ],
    });
    const loop = createLoop({ cwd: repo, providers: [scripted('manual', { 'src/counter.ts': COUNTER_FIXED })] });
    const events = await collect(loop);
    const deploy = events.find((e) => e.type === 'deploy:end');
    expect(deploy).toMatchObject({ iteration: 1, ok: false });
    expect(deploy?.type === 'deploy:end' && deploy.steps.map((d) => [d.name, d.status, d.exitCode])).toEqual([
      ['build', 'ok', 0],
      ['staging', 'blocked', 1],
    ]);
    const summary = await loop.result;
    expect(summary.status).toBe('green');
    const md = readFileSync(summary.reports[0], 'utf8');
    expect(md).toContain('## Deployment status\n\n### build: succeeded');
    expect(md).toContain('### staging: blocked by the environment');
    expect(md).toContain('Cannot connect to the Docker daemon. Is the docker daemon running?');
    expect(md).toContain('- Deploy step `staging` was blocked by the environment, not the code');
    expect(IterationReportSchema.parse(JSON.parse(readFileSync(summary.reports[1], 'utf8'))).deploy?.map((d) => d.status)).toEqual(['ok', 'blocked']);
  });

  it('with when "always" and stopOnFailure, a failed step after a non-green iteration stops the loop', async () => {
    const repo = repoWithDeploy({ commands: [{ name: 'migrate', command: 'echo "migration 0042 failed"; exit 3' }], when: 'always', stopOnFailure: true });
    const loop = createLoop({ cwd: repo, providers: [] });
    const events = await collect(loop);
    expect(events.find((e) => e.type === 'deploy:end')).toMatchObject({ ok: false, steps: [{ name: 'migrate', status: 'failed', exitCode: 3 }] });
    const summary = await loop.result;
    expect([summary.status, summary.stopReason]).toEqual(['failing', 'deploy-failed']);
  });
});
