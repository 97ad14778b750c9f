// Throwaway projects for tests that run real commands.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAPTURES } from './captures.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** A temporary directory; `sub`, when given, holds a copy of a captured case runnable with `npx vitest run`. */
export function tmpProject(caseName?: string, sub = ''): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fixloop-runner-'));
  if (caseName) {
    const dir = path.join(root, sub);
    mkdirSync(dir, { recursive: true });
    for (const part of ['src', 'test']) {
      const from = path.join(CAPTURES, caseName, part);
      if (existsSync(from)) cpSync(from, path.join(dir, part), { recursive: true });
    }
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    symlinkSync(NODE_MODULES, path.join(dir, 'node_modules'));
  }
  return root;
}

/** Alive and not a zombie waiting for a parent that never reaps it. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !existsSync(stat) || readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

const made: string[] = [];

/**
 * A copy of fixtures/<runner>/<name> (its src/, test/ and tests/) with the given package.json and
 * node_modules linked, runnable in place; removeProjects() deletes every copy made.
 */
export function fixtureProject(runner: string, name: string, pkg: object = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `fixloop-${runner}-${name}-`));
  made.push(root);
  for (const part of ['src', 'test', 'tests']) {
    const from = fileURLToPath(new URL(`../../fixtures/${runner}/${name}/${part}`, import.meta.url));
    if (existsSync(from)) cpSync(from, path.join(root, part), { recursive: true });
  }
  writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
  symlinkSync(NODE_MODULES, path.join(root, 'node_modules'));
  return root;
}

export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
