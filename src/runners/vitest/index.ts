// vitest: its JSON reporter (with the output for what JSON leaves out), flags by version, `vitest list` to count.
import type { RunnerDefinition } from '../registry.js';
import { vitestProgress } from './progress.js';
import { VitestAdapter } from './adapter.js';
import { discoverVitest } from './discover.js';

export const vitest: RunnerDefinition = {
  format: 'vitest',
  adapter: new VitestAdapter(),
  detect: (command) => /(^|[\s/])vitest(\s|$)/.test(command),
  script: (program, args) => {
    if (program !== 'vitest') return undefined;
    const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
    return { watch: args[0] === 'watch' || args[0] === 'dev' || has('--watch', '-w'), bench: args[0] === 'bench' };
  },
  discover: discoverVitest,
  progress: vitestProgress,
};
