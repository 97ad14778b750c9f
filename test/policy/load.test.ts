import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HARNESS, DEFAULT_LLM_PRICES, DEFAULT_PROTECT, DEFAULT_READ_DENYLIST, DEFAULT_SECRET_PATTERNS, loadPolicy, parsePolicy, PolicyError } from '../../src/policy/index.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('parsePolicy', () => {
  it('fills every default around the suites', () => {
    const policy = parsePolicy({ suites: [{ name: 'unit', command: 'npx vitest run' }] }, 't');
    expect(policy).toEqual({
      suites: [{ name: 'unit', command: 'npx vitest run', format: 'auto', timeoutSec: 600 }],
      budget: { maxIterations: 5, maxAttemptsPerProblem: 5 },
      guard: { protect: DEFAULT_PROTECT, allowEscapeHatches: false, harness: DEFAULT_HARNESS, allowTestDetection: false },
      repair: { maxPatchLines: 200, maxFiles: 10 },
      llm: {
        model: 'claude-sonnet-5-5',
        maxTokens: 8192,
        maxTurns: 8,
        maxRetries: 3,
        timeoutSec: 600,
        idleTimeoutSec: 120,
        prices: DEFAULT_LLM_PRICES,
        secretPatterns: DEFAULT_SECRET_PATTERNS,
        readDenylist: DEFAULT_READ_DENYLIST,
      },
      git: { branch: 'fixloop/{runId}' },
      verify: { sandbox: { mode: 'auto', network: false, scope: 'model' } },
      flaky: { reruns: 2, exitCode: 1 },
      culprit: { enabled: true, maxRuns: 12, maxCommits: 50, revert: true },
      goal: {},
      env: { pass: [] },
      report: { dir: '.fixloop/runs/{runId}', commit: false },
    });
  });

  it('names the path of a field with the wrong type', () => {
    expect(() => parsePolicy({ suites: [{ name: 'unit', command: 'x', timeoutSec: 'ten' }] }, 'loop.policy.json')).toThrow(
      /Invalid policy loop\.policy\.json:\n {2}- suites\.0\.timeoutSec: Invalid input: expected number, received string/,
    );
  });

  it('rejects unknown keys with their full path', () => {
    expect(() => parsePolicy({ suites: [{ name: 'u', command: 'x' }], budget: { maxIteration: 3 } }, 'p.json')).toThrow(
      'Invalid policy p.json:\n  - budget.maxIteration: unknown key',
    );
  });

  it('takes the runner formats and requires the JUnit file of a junit suite', () => {
    const formats = ['auto', 'vitest', 'jest', 'node-test', 'pytest', 'mocha', 'exit-code'];
    const policy = parsePolicy({ suites: formats.map((format) => ({ name: format, command: 'x', format })) }, 'p.json');
    expect(policy.suites.map((s) => s.format)).toEqual(formats);
    expect(parsePolicy({ suites: [{ name: 'm', command: 'npx mocha', format: 'junit', junitFile: 'out/junit.xml' }] }, 'p.json').suites[0]).toEqual({
      name: 'm',
      command: 'npx mocha',
      format: 'junit',
      junitFile: 'out/junit.xml',
      timeoutSec: 600,
    });
    expect(() => parsePolicy({ suites: [{ name: 'm', command: 'npx mocha', format: 'junit' }] }, 'p.json')).toThrow(
      'Invalid policy p.json:\n  - suites.0.junitFile: format "junit" needs "junitFile", the JUnit XML file the command writes',
    );
    expect(parsePolicy({ suites: [{ name: 'm', command: 'npx mocha', format: 'mocha' }] }, 'p.json').suites[0].format).toBe('mocha');
    expect(() => parsePolicy({ suites: [{ name: 't', command: 'x', format: 'tap' }] }, 'p.json')).toThrow(
      'Invalid policy p.json:\n  - suites.0.format: no test runner "tap" (known: auto, vitest, jest, node-test, pytest, mocha, junit, exit-code; an SDK user\'s runner is added with registerRunner())',
    );
    expect(() => parsePolicy({ suites: [{ name: 't', command: 'x', format: 'Tap Runner' }] }, 'p.json')).toThrow(
      "Invalid policy p.json:\n  - suites.0.format: must be a runner's format name (lower-case letters, digits and dashes)",
    );
  });

  it('rejects a policy without suites', () => {
    expect(() => parsePolicy({ suites: [] }, 'p.json')).toThrow(/suites: Too small/);
  });
});

describe('loadPolicy', () => {
  it('reads loop.policy.json from the repository root', () => {
    const dir = repo({ 'loop.policy.json': JSON.stringify({ suites: [{ name: 'a', command: 'npm test' }], budget: { maxIterations: 2 } }) });
    const loaded = loadPolicy(dir);
    expect(loaded.source).toBe('loop.policy.json');
    expect(loaded.derived).toBe(false);
    expect(loaded.policy.budget.maxIterations).toBe(2);
  });

  it('reports malformed JSON as a policy error naming the file', () => {
    const dir = repo({ 'loop.policy.json': '{ "suites": [ ' });
    expect(() => loadPolicy(dir)).toThrow(PolicyError);
    expect(() => loadPolicy(dir)).toThrow(/^Cannot read policy loop\.policy\.json: /);
  });

  it('fails when an explicitly named policy file is missing', () => {
    const dir = repo({});
    expect(() => loadPolicy(dir, 'custom.json')).toThrow(`Policy file not found: ${path.join(dir, 'custom.json')}`);
  });

  it('derives a single vitest suite from package.json, turning watch mode into one run', () => {
    const dir = repo({ 'package.json': JSON.stringify({ scripts: { test: 'vitest' } }) });
    const loaded = loadPolicy(dir);
    expect(loaded.derived).toBe(true);
    expect(loaded.source).toBe('derived from package.json (test script: "vitest")');
    expect(loaded.policy.suites).toEqual([{ name: 'test', command: 'npx vitest run', format: 'vitest', timeoutSec: 600 }]);
  });

  it('keeps an explicit "vitest run" script as it is', () => {
    const dir = repo({ 'package.json': JSON.stringify({ scripts: { test: 'vitest run --dir src' } }) });
    expect(loadPolicy(dir).policy.suites[0].command).toBe('npx vitest run --dir src');
  });

  it('refuses to guess when the test script is not vitest', () => {
    const dir = repo({ 'package.json': JSON.stringify({ scripts: { test: 'jest' } }) });
    expect(() => loadPolicy(dir)).toThrow(`No loop.policy.json, and package.json's "test" script ("jest") does not run vitest: write a loop.policy.json naming your suites.`);
  });
});

describe('policy JSON Schema', () => {
  it('docs/policy.schema.json is the schema generated from zod (run `npm run schema` after changing it)', async () => {
    const { readFileSync } = await import('node:fs');
    const { policyJsonSchema } = await import('../../src/policy/index.js');
    const onDisk = JSON.parse(readFileSync(new URL('../../docs/policy.schema.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(policyJsonSchema());
    expect(onDisk.required).toEqual(['suites']);
    expect(onDisk.additionalProperties).toBe(false);
  });
});

describe('docs/policy.md', () => {
  it('is the reference generated from the schema (run `npm run schema` after changing it), one row per field', async () => {
    const { readFileSync } = await import('node:fs');
    const { policyReference } = await import('../../src/policy/index.js');
    const onDisk = readFileSync(new URL('../../docs/policy.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(policyReference());
    for (const field of ['suites[].timeoutSec', 'budget.maxWallMinutes', 'git.push', 'deploy.commands[].command', 'goal.expectedTests', 'llm.model']) {
      expect(onDisk).toContain(`| \`${field}\` |`);
    }
  });
});

describe('verify.sandbox', () => {
  it('takes the mode alone as a string, or the mode with network', () => {
    const suites = [{ name: 'unit', command: 'npx vitest run' }];
    expect(parsePolicy({ suites, verify: { sandbox: 'required' } }, 'p.json').verify.sandbox).toEqual({ mode: 'required', network: false, scope: 'model' });
    expect(parsePolicy({ suites, verify: { sandbox: { mode: 'off', network: true } } }, 'p.json').verify.sandbox).toEqual({ mode: 'off', network: true, scope: 'model' });
    expect(() => parsePolicy({ suites, verify: { sandbox: 'always' } }, 'p.json')).toThrow(/verify\.sandbox\.mode/);
  });
});
