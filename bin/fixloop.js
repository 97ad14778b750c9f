#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main, reportError } = await import('../src/cli.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.exitCode = reportError(err);
}
