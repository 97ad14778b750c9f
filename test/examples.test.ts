import { describe, expect, it } from 'vitest';
import { main } from '../examples/embed.js';
import { demoRepo } from './helpers/git-repo.js';

describe('examples/embed.ts', () => {
  it('repairs the demo app through the SDK, with its approver accepting the one-file fix', async () => {
    const lines: string[] = [];
    const summary = await main(demoRepo(), (l) => lines.push(l));
    expect(summary.status).toBe('green');
    expect(lines[0]).toBe('problem: ReferenceError: parseBoolean is not defined (src/shared/isolated-environment.ts:22)');
    expect(lines.some((l) => /^committed [0-9a-f]{7} fix\(env\): import missing parseBoolean in readEnv\(\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^green \(green\); reports in /);
  });
});
