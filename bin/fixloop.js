#!/usr/bin/env node
// A checkout runs its TypeScript sources through tsx (no build step); an installed package, which
// ships dist/ and not src/, runs the build with plain node.
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli.ts', import.meta.url));
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main, reportError } = await import(fromSource ? '../src/cli.ts' : '../dist/cli.js');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.exitCode = reportError(err);
}
