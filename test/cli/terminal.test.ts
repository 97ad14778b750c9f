// A real terminal: fixloop runs inside tmux (a pseudo-terminal), a person's keys are sent with
// send-keys, and the screen is read back with its colours (capture-pane -e).
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, demoRepo } from '../helpers/git-repo.js';

const SOCKET = `fixloop-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const SGR_COLOUR = /\u001b\[[0-9;]*3[1-7]m/;

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
});

async function screenUntil(session: string, pattern: RegExp, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-e', '-J', '-S', '-200', '-t', session);
    if (pattern.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A supervised run accepted with one key, then `fixloop report`, in a 160×60 terminal. */
async function session(name: string, colourEnv: string): Promise<{ run: string; report: string }> {
  const repo = demoRepo();
  const script = `cd ${repo} && env -u FORCE_COLOR -u NO_COLOR ${colourEnv} ${process.execPath} ${BIN} run --supervised; echo "RUN-EXIT=$?"; env -u FORCE_COLOR -u NO_COLOR ${colourEnv} ${process.execPath} ${BIN} report; echo "REPORT-EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '60', script);
  await screenUntil(name, /\[\?\] help: /);
  tmux('send-keys', '-t', name, 'a');
  const run = await screenUntil(name, /RUN-EXIT=\d+/);
  const report = await screenUntil(name, /REPORT-EXIT=\d+/);
  return { run, report };
}

describe('fixloop in a terminal', () => {
  it('colours the supervised diff, the verdicts and the report on a TTY; one key accepts', async () => {
    const { run, report } = await session('colour', '');
    expect(run).toContain('RUN-EXIT=0');
    expect(run).toMatch(/\u001b\[32m\+import \{ parseBoolean, parseInteger \} from '\.\/parse\.js';/);
    expect(run).toMatch(/\u001b\[32mcommitted\u001b\[39m/);
    expect(report).toContain('REPORT-EXIT=0');
    expect(report.slice(report.indexOf('RUN-EXIT'))).toMatch(/\u001b\[32m\+import/);
  }, 300_000);

  it('prints no colour at all with NO_COLOR', async () => {
    const { run, report } = await session('plain', 'NO_COLOR=1');
    expect(run).toContain('RUN-EXIT=0');
    expect(run).toContain("+import { parseBoolean, parseInteger } from './parse.js';");
    expect(run).not.toMatch(SGR_COLOUR);
    expect(report).not.toMatch(SGR_COLOUR);
  }, 300_000);
});
