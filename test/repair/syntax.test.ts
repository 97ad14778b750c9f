import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SyntaxProvider } from '../../src/repair/index.js';
import { copyCase, problemAt, proposeAll, read, removeCases } from './fixture.js';

afterAll(removeCases);

const propose = (root: string, file: string, line: number, message = 'SyntaxError: Unexpected token', options = {}) =>
  proposeAll(new SyntaxProvider(), root, { ...problemAt({ file, line }, message), kind: 'syntax' }, options);

const TOTAL_FIXED = `export function total(values: number[], limit: number): number {
  let sum = 0;
  for (const value of values) {
    if (value > limit) {
      continue;
    }
    sum += value;
  }
  return sum;
}

export function count(values: number[]): number {
  return values.length;
}
`;

describe('SyntaxProvider', () => {
  it('closes a block where its indentation ends, not where the parser gave up (end of file)', async () => {
    const root = copyCase('syntax', 'unclosed-block');
    const candidates = await propose(root, 'src/total.ts', 13, 'Error: Transform failed with 1 error: [PARSE_ERROR] Expected `}` but found `EOF`');
    expect(candidates[0].patch.changes).toEqual([{ path: 'src/total.ts', before: read(root, 'src/total.ts'), after: TOTAL_FIXED }]);
    expect(candidates[0].title).toBe("Insert '}' at src/total.ts:5");
    expect(candidates[0].commit).toEqual({ type: 'fix', subject: 'close the unclosed block in total()' });
    expect(candidates[0].rootCause).toBe("src/total.ts:5 is missing the '}' that closes a block");
    expect(candidates[0].provider).toBe('syntax');
    // The same brace followed by an empty statement is not offered again; at most a handful follow.
    expect(candidates.map((c) => c.patch.changes[0].after)).not.toContain(TOTAL_FIXED.replace('    }\n    sum', '    };\n    sum'));
    expect(candidates.length).toBeLessThanOrEqual(3);
  });

  it('compares type errors with the last committed version that parsed', async () => {
    const root = copyCase('syntax', 'unclosed-block');
    const broken = read(root, 'src/total.ts');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    fs.writeFileSync(path.join(root, 'src/total.ts'), TOTAL_FIXED);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'clean');
    fs.writeFileSync(path.join(root, 'src/total.ts'), broken);
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qam', 'broken');
    const candidates = await propose(root, 'src/total.ts', 13);
    expect(candidates[0].patch.changes[0].after).toBe(TOTAL_FIXED);
    expect(candidates[0].rationale).toContain('it parses, with 0 type error(s) in the file');
  });

  it('closes a method whose brace went missing before the class\'s own', async () => {
    const root = copyCase('syntax', 'unclosed-method');
    const candidates = await propose(root, 'src/clock.ts', 10, "SyntaxError: '}' expected");
    expect(candidates[0].patch.changes[0].after).toBe(read(root, 'src/clock.ts').replace('this.current = time;\n', 'this.current = time;\n  }\n'));
    expect(candidates[0].commit?.subject).toBe('close the unclosed block in Clock.set()');
  });

  it('closes a call before the semicolon', async () => {
    const root = copyCase('syntax', 'unclosed-call');
    const candidates = await propose(root, 'src/label.ts', 9);
    expect(candidates.map((c) => c.patch.changes[0].after)).toEqual([read(root, 'src/label.ts').replace("'b';", "'b');")]);
    expect(candidates[0].commit?.subject).toBe('close the unclosed parenthesis in label');
  });

  it('deletes a stray closing parenthesis', async () => {
    const root = copyCase('syntax', 'stray-paren');
    const candidates = await propose(root, 'src/double.ts', 2);
    expect(candidates.map((c) => c.patch.changes[0].after)).toEqual(['export function double(x: number): number {\n  return x * 2;\n}\n']);
    expect(candidates[0].commit?.subject).toBe("remove the stray ')' in double()");
  });

  it('inserts a keyword the parser names as expected', async () => {
    const root = copyCase('syntax', 'missing-keyword');
    const candidates = await propose(root, 'src/label.ts', 1, "SyntaxError: 'from' expected");
    expect(candidates.map((c) => c.patch.changes[0].after)).toEqual([read(root, 'src/label.ts').replace("} './path.js'", "} from './path.js'")]);
    expect(candidates[0].commit?.subject).toBe("add the missing 'from'");
  });

  it('offers nothing when no one-token edit makes the file parse', async () => {
    const root = copyCase('syntax', 'hopeless');
    expect(await propose(root, 'src/broken.ts', 1)).toEqual([]);
  });

  it('offers nothing for a file that parses, a protected file, or an edit already tried', async () => {
    const root = copyCase('syntax', 'stray-paren');
    const [first] = await propose(root, 'src/double.ts', 2);
    expect(await propose(root, 'src/double.ts', 2, undefined, { history: [{ problemId: 'problem-1', candidateId: first.id, provider: 'syntax', title: 't', outcome: 'not-accepted', diff: '' }] })).toEqual([]);
    expect(await propose(root, 'src/double.ts', 2, undefined, { protect: ['src/**'] })).toEqual([]);
    fs.writeFileSync(path.join(root, 'src/double.ts'), first.patch.changes[0].after!);
    expect(await propose(root, 'src/double.ts', 2)).toEqual([]);
  });
});
