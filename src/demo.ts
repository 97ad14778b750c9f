import { cpSync, existsSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './vcs/index.js';

export const DEMO_FIXTURE = fileURLToPath(new URL('../fixtures/demo-app', import.meta.url));

/** Where the demo's tests find vitest: the node_modules folder fixloop's own dependencies live in. */
function dependencyFolder(): string {
  let vitestPkg: string;
  try {
    vitestPkg = createRequire(import.meta.url).resolve('vitest/package.json');
  } catch {
    throw new Error('the demo app is tested with vitest, which is not installed next to fixloop: run `npm i -D vitest` in this project, then `npx fixloop demo` again');
  }
  return path.dirname(path.dirname(realpathSync(vitestPkg)));
}

/** Copies the bundled demo app into a new temporary git repository with one commit; returns its path. */
export async function prepareDemoRepo(): Promise<string> {
  if (!existsSync(DEMO_FIXTURE)) throw new Error(`the bundled demo is missing (${DEMO_FIXTURE})`);
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fixloop-demo-')), 'demo-app');
  cpSync(DEMO_FIXTURE, dir, { recursive: true });
  symlinkSync(dependencyFolder(), path.join(dir, 'node_modules'), 'dir');
  const g = git(dir);
  await g.init(['-q', '-b', 'main']);
  await g.addConfig('user.name', 'fixloop demo');
  await g.addConfig('user.email', 'demo@fixloop.invalid');
  await g.add(['-A']);
  await g.commit('chore: demo app with a seeded defect');
  return dir;
}
