import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, reportError } from '../../src/cli.js';

const README = readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../README.md'), 'utf8');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

const COMMANDS = ['init', 'run', 'resume', 'status', 'report', 'demo'];

describe('help and version', () => {
  it('-v and --version print the version', async () => {
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    expect(await cli(['-v'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('`fixloop help` lists every command, the exit codes and the environment; no command at all is a usage error', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).toContain('130  interrupted');
    expect(help.stdout).toContain('ANTHROPIC_API_KEY');
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(help.stdout);
  });

  it.each(COMMANDS)('`fixloop help %s` prints the command\'s own help, the same as its --help', async (command) => {
    const a = await cli(['help', command]);
    const b = await cli([command, '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split('\n')[0]).toBe(`Usage: fixloop ${command} [options]`);
  });
});

describe('the README says only what the CLI does', () => {
  it('every flag of the README\'s table is an option of `fixloop run`', async () => {
    const table = README.slice(README.indexOf('| flag | meaning |'));
    const flags = [...table.matchAll(/^\| `(--[\w-]+)/gm)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThanOrEqual(7);
    const help = (await cli(['help', 'run'])).stdout;
    for (const flag of flags) expect(help).toMatch(new RegExp(`^  (-\\w, )?${flag}\\b`, 'm'));
  });

  it('every `npx fixloop <command> --flag` line of the README names a command that takes that flag', async () => {
    const lines = [...README.matchAll(/npx fixloop (\w+)([^\n#]*)/g)]; // `npx fixloop --version` has no command
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const [, command, rest] of lines) {
      if (command === 'help') {
        expect(COMMANDS).toContain(rest.trim());
        continue;
      }
      expect(COMMANDS).toContain(command);
      const help = (await cli(['help', command])).stdout;
      for (const [flag] of rest.matchAll(/--[\w-]+/g)) expect(help, `${command} ${flag}`).toMatch(new RegExp(`^  (-\\w, )?${flag}\\b`, 'm'));
    }
  });
});

describe('an internal error', () => {
  it('is one line with the way to the stack, and the stack under --debug (FIXLOOP_DEBUG=1)', () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    expect(reportError(new Error('boom\nsecond line'))).toBe(1);
    expect(stderr).toBe('fixloop: internal error: boom (run again with --debug for the stack)\n');
    stderr = '';
    vi.stubEnv('FIXLOOP_DEBUG', '1');
    reportError(new Error('boom'));
    vi.unstubAllEnvs();
    expect(stderr).toMatch(/^fixloop: internal error: Error: boom\n    at /);
  });
});
