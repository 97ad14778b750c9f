import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, relativeInside } from '../src/paths.js';

describe('relativeInside', () => {
  it('gives the repository-relative path of what lies inside, with forward slashes, and undefined outside', () => {
    expect(relativeInside('/repo', 'src/a.ts')).toBe('src/a.ts');
    expect(relativeInside('/repo', '/repo/src/../lib/b.ts')).toBe('lib/b.ts');
    expect(relativeInside('/repo', '/repo')).toBe('');
    expect(relativeInside('/repo', '..foo/c.ts')).toBe('..foo/c.ts');
    expect(relativeInside('/repo', '../other/d.ts')).toBeUndefined();
    expect(relativeInside('/repo', '..')).toBeUndefined();
    expect(relativeInside('/repo', '/repository/e.ts')).toBeUndefined();
    expect(relativeInside('/repo', path.join('src', '..', '..', 'etc', 'passwd'))).toBeUndefined();
  });

  it('isInside says the same as a boolean', () => {
    expect([isInside('/repo', 'a'), isInside('/repo', '/repo'), isInside('/repo', '/etc')]).toEqual([true, true, false]);
  });
});
