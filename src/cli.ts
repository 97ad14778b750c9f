// argv to commands: commander reads the commands and flags, gives each command its own --help,
// `fixloop help <command>`, did-you-mean for commands and flags, and refuses flags a command does
// not take. Usage errors are one line and exit 2; the commands live in cli/commands.ts.
import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { demoCommand, EXIT, initCommand, reportCommand, runCommand, statusCommand, type RunFlags } from './cli/commands.js';

export { describe } from './cli/describe.js';
export { EXIT, exitCodeFor, reportError } from './cli/commands.js';

const EXIT_CODES = `Exit codes:
  0    suites green at the end (every executed test passed on its first attempt)
  1    failures remain (a budget spent, no progress, nothing fixable)
  2    usage or policy error, dirty working tree, another run holds the lock, the model's API refused the key
  3    the suites could not be run (missing command, environment blocker, timeout, no report)
  130  interrupted (SIGINT): the current step is finished or rolled back and the report written`;

const ENVIRONMENT = `Environment:
  ANTHROPIC_API_KEY   enables the llm provider (never read from the policy); unset or --no-llm: deterministic providers only
  ANTHROPIC_BASE_URL  Messages API endpoint (a gateway or a local server); wins over the policy's llm.baseURL
  FIXLOOP_TRUST_POLICY_ENDPOINT=1  the same as --trust-policy-endpoint
  NO_COLOR / FORCE_COLOR  colour off / on (default: on when the stream is a terminal)`;

function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a positive whole number, not "${value}"`);
  return n;
}

interface RunOptionValues {
  policy?: string;
  maxIterations?: number;
  json: boolean;
  llm: boolean;
  worktree: boolean;
  supervised: boolean;
  record?: string;
  replay?: string;
  trustPolicyEndpoint?: boolean;
}

function runFlags(values: RunOptionValues, resume = false): RunFlags {
  return {
    cwd: process.cwd(),
    policy: values.policy,
    maxIterations: values.maxIterations,
    json: values.json,
    worktree: values.worktree,
    supervised: values.supervised,
    resume,
    llm: { disabled: !values.llm, record: values.record, replay: values.replay, trustPolicyEndpoint: values.trustPolicyEndpoint },
  };
}

/** The options `run`, `resume` and `demo` share. */
function withRunOptions(command: Command, { policy = true } = {}): Command {
  if (policy) command.option('--policy <file>', 'policy file (default ./loop.policy.json, else derived from package.json)');
  return command
    .option('--max-iterations <n>', 'stop after N iterations (overrides budget.maxIterations)', positiveInteger)
    .option('--json', 'one JSON event per line on stdout; progress stays on stderr', false)
    .option('--no-llm', 'deterministic providers only (the llm provider runs only with ANTHROPIC_API_KEY set)')
    .addOption(new Option('--record <dir>', 'save every exchange with the model (key and secrets redacted)').conflicts('replay'))
    .option('--replay <dir>', 'answer from a recording instead of the network')
    .option('--trust-policy-endpoint', "send the API key to the policy's llm.baseURL (ignored otherwise: a policy file is part of the repository)")
    .option('--supervised', 'show each verified candidate (diff, verdict, provider) and ask: accept, reject, skip problem, stop', false)
    .option('--worktree', 'run even with uncommitted changes: HEAD is tested, your files are left as they are', false);
}

export function buildProgram(done: (code: number) => void): Command {
  const program = new Command('fixloop')
    .description('Autonomous fix loops for test suites: run, triage, repair, verify, commit, report.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--debug', 'on an internal error, print its stack (also FIXLOOP_DEBUG=1)')
    .hook('preAction', (command) => {
      if (command.opts().debug) process.env.FIXLOOP_DEBUG = '1';
    })
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      // One line: what is wrong, and the suggestion when there is one.
      outputError: (text, write) => write(`${oneLine(text)}\n`),
    })
    .addHelpText('after', `\n${EXIT_CODES}\n\n${ENVIRONMENT}\n`);

  program
    .command('init')
    .description(
      'detect the test suites (package manager, scripts, workspaces, vitest/jest/mocha configs, pytest) and write a starting loop.policy.json, saying what it found and why',
    )
    .option('--force', 'replace an existing loop.policy.json', false)
    .option(
      '--check',
      'run each suite once and say whether it works (tests run, or what blocked it); without --force an existing loop.policy.json is checked, not rewritten. Exit 0 when every suite ran tests, 3 when one could not',
      false,
    )
    .action(async (values: { force: boolean; check: boolean }) => done(await initCommand(process.cwd(), values.force, values.check)));

  withRunOptions(program.command('run').description('run the fix loop in the current git repository'))
    .addHelpText('after', `\n${EXIT_CODES}\n`)
    .action(async (values: RunOptionValues) => done((await runCommand(runFlags(values))).code));

  withRunOptions(program.command('resume').description('continue the last run that did not end (killed, crashed): same branch, journal and budgets'), { policy: false })
    .action(async (values: RunOptionValues) => done((await runCommand(runFlags(values, true))).code));

  program
    .command('status')
    .description('the current or last run: state, iteration, problems, fixes, tests')
    .option('--run <id>', 'a run id (default: the last run)')
    .option('--json', 'the status as one JSON object', false)
    .action(async (values: { run?: string; json: boolean }) => done(await statusCommand(process.cwd(), values.run, values.json)));

  program
    .command('report')
    .description("print a run's summary report (default: the last run) and list its report files")
    .option('--run <id>', 'a run id (default: the last run)')
    .action(async (values: { run?: string }) => done(await reportCommand(process.cwd(), values.run)));

  withRunOptions(program.command('demo').description('copy the bundled demo app to a temporary repository and repair it (no API key, no network)'), { policy: false })
    .action(async (values: RunOptionValues) => done(await demoCommand(runFlags(values))));

  return program;
}

/** Commander's "error: unknown option '--jsn'\n(Did you mean --json?)" as one fixloop line. */
function oneLine(text: string): string {
  const [raw, ...rest] = text.trim().split('\n');
  const first = raw.replace(/^error: option '(--[\w-]+)[^']*' argument '.*' is invalid\. /, '$1 ');
  const hint = rest.join(' ').trim().replace(/^\((.*)\)$/, '$1');
  return `fixloop: ${first.replace(/^error: /, '')}${hint ? ` (${hint.charAt(0).toLowerCase()}${hint.slice(1)})` : ''}`;
}

/**
 * `fixloop help run | head -3`: the reader has gone, and what is left to say has no one to read it.
 * Every command stops writing quietly instead of dying on an unhandled 'error' event with a stack;
 * `run` adds its own handler that also stops the loop (exit 141).
 */
function quietOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners('error').includes(ignoreEpipe)) continue;
    stream.on('error', ignoreEpipe);
  }
}

function ignoreEpipe(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedOutput();
  let code: number = EXIT.usage;
  const program = buildProgram((c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // --help, --version and `help` end here too, successfully.
    return err.exitCode === 0 ? 0 : EXIT.usage;
  }
}
