// The scripts a recursive run over workspace packages runs in each package (`pnpm -r test`,
// `turbo run test test-types`, `nx run-many -t test`…): the project's own test command runs those
// and no other, so init takes its per-package suites from them alone.

/** Options of these tools that take a value in the next word (their other options take none). */
const WITH_VALUE = new Set([
  '--filter', '-F', '--concurrency', '--cache-dir', '--output-logs', '--log-order', '--log-prefix', '--env-mode', '--cache', '--graph', '--summarize',
  '--scope', '--ignore', '--since', '--workspace-concurrency', '--reporter', '--projects', '--exclude', '--from', '--to', '-w', '--workspace',
]);

/** The non-option words after `at`, skipping the values of options that take one. */
function operands(words: string[], at: number): string[] {
  const out: string[] = [];
  for (let i = at; i < words.length; i++) {
    const word = words[i];
    if (word === '--') break;
    if (word.startsWith('-')) {
      if (!word.includes('=') && WITH_VALUE.has(word)) i++;
      continue;
    }
    out.push(word);
  }
  return out;
}

/** `nx run-many -t test lint`, `--target=test`, `--targets=test,lint`. */
function nxTargets(words: string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].split(/=(.*)/s, 2);
    if (!['-t', '--target', '--targets'].includes(flag)) continue;
    if (inline !== undefined) out.push(...inline.split(','));
    else for (let j = i + 1; j < words.length && !words[j].startsWith('-'); j++) out.push(...words[j].split(','));
  }
  return out.length ? out : undefined;
}

/**
 * The package scripts `words` (a command from the program on, as classify found it recursive) runs
 * in every workspace package, or undefined when that cannot be told (then every test script counts).
 */
export function recursiveScripts(words: string[]): string[] | undefined {
  const [tool, ...rest] = words;
  const names = (list: string[]) => (list.length ? [...new Set(list)] : undefined);
  switch (tool) {
    case 'turbo': {
      const tasks = operands(rest, rest[0] === 'run' ? 1 : 0);
      // `turbo run pkg#task` runs that task in one package: the script is the task.
      return names(tasks.map((t) => t.split('#').pop()!));
    }
    case 'lerna':
      return rest[0] === 'run' ? names(operands(rest, 1).slice(0, 1)) : undefined;
    case 'nx':
      return rest[0] === 'run-many' || rest[0] === 'affected' ? nxTargets(rest) : undefined;
    case 'pnpm': {
      const [first, second] = operands(rest, 0);
      if (first === 'run' || first === 'run-script') return names(second ? [second] : []);
      return first && !['exec', 'dlx', 'x', 'install', 'i', 'add'].includes(first) ? [first] : undefined;
    }
    case 'yarn': {
      // yarn workspaces run <script> (v1) · yarn workspaces foreach [options] run <script> (v2+)
      const list = operands(rest, 0);
      const run = list.indexOf('run');
      return run >= 0 && list[run + 1] ? [list[run + 1]] : undefined;
    }
    case 'npm': {
      const [first, second] = operands(rest, 0);
      if (first === 'run' || first === 'run-script') return names(second ? [second] : []);
      return first === 'test' || first === 't' ? ['test'] : undefined;
    }
    default:
      return undefined;
  }
}
