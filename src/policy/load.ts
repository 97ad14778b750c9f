import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { knownFormats } from '../runners/registry.js';
import { PolicySchema, type Policy } from './schema.js';

/** A policy that cannot be used. Exit code 2; the message names the file and the field. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export interface LoadedPolicy {
  policy: Policy;
  /** The file it came from, or a sentence saying how it was derived. */
  source: string;
  derived: boolean;
}

/**
 * Parses a policy object; errors carry the JSON path of each offending field. A suite's format
 * must be a shipped runner's, one registered with registerRunner(), or one of `formats` (the
 * adapters createLoop was given).
 */
export function parsePolicy(input: unknown, source: string, formats: Iterable<string> = []): Policy {
  const result = PolicySchema.safeParse(input);
  if (!result.success) throw new PolicyError(`Invalid policy ${source}:\n${formatIssues(result.error)}`);
  const known = knownFormats(formats);
  const unknown = result.data.suites.flatMap((suite, i) =>
    suite.format === 'auto' || known.includes(suite.format) ? [] : [`  - suites.${i}.format: no test runner "${suite.format}" (known: auto, ${known.join(', ')}; an SDK user's runner is added with registerRunner())`],
  );
  if (unknown.length) throw new PolicyError(`Invalid policy ${source}:\n${unknown.join('\n')}`);
  return result.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        const prefix = issue.path.length ? `${where}.` : '';
        return `  - ${issue.keys.map((k) => prefix + k).join(', ')}: unknown key${issue.keys.length > 1 ? 's' : ''}`;
      }
      return `  - ${where}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Loads the policy for a repository: the named file, else ./loop.policy.json, else defaults
 * derived from package.json (a vitest test script).
 */
export function loadPolicy(root: string, file?: string, formats: Iterable<string> = []): LoadedPolicy {
  const explicit = file !== undefined;
  const policyPath = path.resolve(root, file ?? 'loop.policy.json');
  if (existsSync(policyPath)) {
    const rel = path.relative(root, policyPath) || policyPath;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(policyPath, 'utf8'));
    } catch (err) {
      throw new PolicyError(`Cannot read policy ${rel}: ${(err as Error).message}`);
    }
    return { policy: parsePolicy(raw, rel, formats), source: rel, derived: false };
  }
  if (explicit) throw new PolicyError(`Policy file not found: ${policyPath}`);
  return derivePolicy(root);
}

/** Defaults from package.json when there is no loop.policy.json. */
export function derivePolicy(root: string): LoadedPolicy {
  const pkgPath = path.join(root, 'package.json');
  if (!existsSync(pkgPath)) {
    throw new PolicyError(
      `No loop.policy.json and no package.json in ${root}: write a loop.policy.json with at least one suite ({"suites":[{"name":"unit","command":"npx vitest run"}]}).`,
    );
  }
  let pkg: { scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  } catch (err) {
    throw new PolicyError(`Cannot read package.json: ${(err as Error).message}`);
  }
  const testScript = pkg.scripts?.test;
  if (!testScript || !/\bvitest\b/.test(testScript)) {
    throw new PolicyError(
      `No loop.policy.json, and package.json's "test" script ${testScript ? `("${testScript}") does not run vitest` : 'is missing'}: write a loop.policy.json naming your suites.`,
    );
  }
  // `vitest` alone starts watch mode; the loop needs one run.
  const command = /\bvitest\s+(run|related)\b/.test(testScript)
    ? `npx ${testScript.replace(/^npx\s+/, '')}`
    : `npx ${testScript.replace(/^npx\s+/, '').replace(/\bvitest\b/, 'vitest run')}`;
  const policy = parsePolicy({ suites: [{ name: 'test', command, format: 'vitest' }] }, 'derived from package.json');
  return { policy, source: `derived from package.json (test script: "${testScript}")`, derived: true };
}
