// Reading and rewriting the shell command of a suite: where the runner's own arguments go, which
// words are test paths, and what `npm test` / `npm run x` stand for.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const NPM_SCRIPT = /^\s*npm\s+(test|t|run(?:-script)?\s+(\S+))(\s|$)/;

/** `npm test` / `npm run x` forward arguments only after "--": the separator to add, if any. */
export function npmSeparator(command: string): string {
  return NPM_SCRIPT.test(command) && !/\s--(\s|$)/.test(command) ? ' --' : '';
}

/** The script an `npm test` / `npm run x` command runs, from package.json in `dir`. */
export function npmScript(command: string, dir: string): string | undefined {
  const match = NPM_SCRIPT.exec(command);
  if (!match) return undefined;
  const name = match[2] ?? 'test';
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts?.[name];
  } catch {
    return undefined;
  }
}

/** Words split on blanks; undefined when the command needs a real shell parser (quotes, pipes, lists). */
export function simpleWords(command: string): string[] | undefined {
  if (/['"`$|;&<>()\\]/.test(command)) return undefined;
  return command.trim().split(/\s+/);
}

/** Options of node, jest, mocha and pytest whose value is a path that is not a test path (mocha's --spec: kept, it cannot go alone). */
const PATH_OPTIONS = new Set(['-c', '--config', '--rootdir', '--confcutdir', '--basetemp', '-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--rootDir', '--setupFiles', '--file', '--ignore', '--exclude', '--spec']);

/**
 * The command with the test paths it names (words after the runner that exist on disk or are
 * globs, and are not the value of an option that takes a path) replaced by `files`; undefined when it cannot be done safely.
 * `runnerAt` finds the word after which the runner's arguments begin.
 */
export function withTestPaths(
  command: string,
  files: string[],
  dir: string,
  runnerAt: (words: string[]) => number,
): string | undefined {
  const words = simpleWords(command);
  if (!words) return undefined;
  const start = runnerAt(words);
  if (start < 0) return undefined;
  const kept = words.filter((word, i) => {
    if (i <= start || word.startsWith('-') || PATH_OPTIONS.has(words[i - 1])) return true;
    return !(word.includes('*') || existsSync(path.resolve(dir, word)));
  });
  return [...kept, ...files.map(shellQuote)].join(' ');
}
