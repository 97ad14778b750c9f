// Tests edit and analyse copies: the fixtures in fixtures/codefix/ stay as committed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgetProject } from '../../src/analysis/project.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/codefix/', import.meta.url));
const copies: string[] = [];

/** A fresh copy of fixtures/codefix/<name> in a temporary directory. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fixloop-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  copies.push(dir);
  return dir;
}

export function removeCopies(): void {
  for (const dir of copies.splice(0)) {
    forgetProject(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
