// loop.policy.json as one zod schema. Over 300 lines on purpose: each field's description is the
// documentation (docs/policy.md and docs/policy.schema.json are generated from it), kept together.
import path from 'node:path';
import { z } from 'zod';
import { BUILTIN_FORMATS } from '../runners/registry.js';

const FORMAT_NAME = /^[a-z][a-z0-9-]*$/;

/** Node's timers hold at most 2^31 - 1 ms; a longer limit would fire at once. */
const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const seconds = () => z.number().positive().max(MAX_SECONDS, `at most ${MAX_SECONDS} seconds (about 24 days)`);

/** Paths the loop must never edit unless the policy says otherwise. */
export const DEFAULT_PROTECT = [
  '**/*.test.*',
  '**/*.spec.*',
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/__snapshots__/**',
  '**/fixtures/**',
  '**/package-lock.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/.github/**',
  '.ci/**',
  '.gitlab-ci.yml',
  'loop.policy.json',
];

/** Files that configure a test runner, protected whatever the policy's `protect` says. */
export const DEFAULT_HARNESS = [
  '**/vitest.config.*',
  '**/vitest.workspace.*',
  '**/vitest.projects.*',
  '**/vite.config.*',
  '**/jest.config.*',
  '**/jest.setup.*',
  '**/jest.preset.*',
  '**/babel.config.*',
  '**/.babelrc*',
  '**/.mocharc*',
  '**/karma.conf.*',
  '**/playwright.config.*',
  '**/cypress.config.*',
  '**/ava.config.*',
  '**/pytest.ini',
  '**/conftest.py',
  '**/setup.cfg',
  '**/tox.ini',
  '**/noxfile.py',
  '**/__mocks__/**',
  '**/__fixtures__/**',
  '**/testdata/**',
  '**/__snapshots__/**',
  '**/*.snap',
];

export const SuiteSchema = z
  .strictObject({
    name: z.string().min(1).describe('Name shown in reports, e.g. "unit".'),
    command: z.string().min(1).describe('Shell command that runs the suite, e.g. "npx vitest run".'),
    // A runner registered from the SDK adds a name: the shape is checked here, the name by parsePolicy.
    format: z
      .union([z.enum(['auto', ...BUILTIN_FORMATS]), z.string().regex(FORMAT_NAME, 'must be a runner\'s format name (lower-case letters, digits and dashes)')])
      .default('auto')
      .describe(
        'How to read the results: "auto" detects vitest, jest, node --test, pytest and mocha (and runners registered through the SDK) from the command (or the npm script it runs) and otherwise judges by exit code.',
      ),
    timeoutSec: seconds().default(600).describe('The whole process tree is killed after this many seconds, with any process that left it but holds the suite\'s output (a daemon started with setsid).'),
    cwd: z
      .string()
      .refine((dir) => !path.isAbsolute(dir) && !path.normalize(dir).split(/[\\/]/).includes('..'), 'must be a directory inside the repository, relative to its root')
      .optional()
      .describe('Directory to run in, relative to the repository root.'),
    setup: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Shell commands run before the suite, one after another, in its directory and environment (e.g. a build its tests import); one that fails makes the suite a blocker naming it.',
      ),
    junitFile: z
      .string()
      .min(1)
      .optional()
      .describe('The JUnit XML file the command writes, relative to the suite\'s directory (format "junit").'),
  })
  .refine((suite) => suite.format !== 'junit' || suite.junitFile !== undefined, {
    message: 'format "junit" needs "junitFile", the JUnit XML file the command writes',
    path: ['junitFile'],
  })
  .describe('One test suite.');

/** Dollars per million tokens of each kind, as the provider's price list gives them. */
export const PriceSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative(),
  cacheWritePerMTok: z.number().nonnegative(),
});

/** Anthropic's list prices (USD per million tokens, 5-minute cache writes) as published in November 2026. */
export const DEFAULT_LLM_PRICES: Record<string, z.output<typeof PriceSchema>> = {
  'claude-sonnet-5-5': { inputPerMTok: 2, outputPerMTok: 10, cacheReadPerMTok: 0.2, cacheWritePerMTok: 2.5 },
  'claude-sonnet-4-6': { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 },
  'claude-opus-4-8': { inputPerMTok: 5, outputPerMTok: 25, cacheReadPerMTok: 0.5, cacheWritePerMTok: 6.25 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5, cacheReadPerMTok: 0.1, cacheWritePerMTok: 1.25 },
};

/** Regular expressions whose matches never leave the machine in a recording (keys, tokens, private keys). */
export const DEFAULT_SECRET_PATTERNS = [
  'sk-ant-[A-Za-z0-9_-]{8,}',
  'AKIA[0-9A-Z]{16}',
  'gh[pousr]_[A-Za-z0-9]{20,}',
  'xox[abpr]-[A-Za-z0-9-]{10,}',
  '-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----',
];

/** Files the model's read_file refuses: environment files, certificates and keys, credentials. */
export const DEFAULT_READ_DENYLIST = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/*_key',
  '**/*_key.*',
  '**/*-key',
  '**/*-key.*',
  '**/*secret*',
  '**/credentials*',
  '**/.npmrc',
  '**/.netrc',
  '**/.git/**',
];

const regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export const LlmSchema = z
  .strictObject({
    model: z.string().min(1).default('claude-sonnet-5-5').describe('Model the llm provider asks.'),
    maxTokens: z.number().int().positive().default(8192).describe('max_tokens of one answer (streamed, so long answers work).'),
    temperature: z.number().min(0).max(1).optional().describe('Sampling temperature; sent only when set (newer models fix it themselves).'),
    maxTurns: z.number().int().positive().default(8).describe('Model answers per problem (tool calls and malformed proposals count).'),
    baseURL: z.string().url().optional().describe('Messages API base URL (a gateway or local server), used when ANTHROPIC_BASE_URL is unset. In a policy file of the repository it is used only with the user\'s consent given outside it (--trust-policy-endpoint or FIXLOOP_TRUST_POLICY_ENDPOINT=1): the key is never sent to an endpoint a pull request could name. The key is only ever read from ANTHROPIC_API_KEY.'),
    maxRetries: z.number().int().nonnegative().default(3).describe('Retries of 408/409/429/5xx/529 (honouring retry-after) and of errors in the middle of a stream.'),
    timeoutSec: seconds().default(600).describe('Time limit of one request, its streamed answer included.'),
    idleTimeoutSec: seconds().default(120).describe('A streamed answer that sends no byte for this long has stalled: it is retried (llm.maxRetries), then the model is paused for the iteration.'),
    prices: z
      .record(z.string(), PriceSchema)
      .default(DEFAULT_LLM_PRICES)
      .describe('USD per million tokens by model: inputPerMTok, outputPerMTok, cacheReadPerMTok, cacheWritePerMTok.'),
    secretPatterns: z.array(regex).default(DEFAULT_SECRET_PATTERNS).describe('Regular expressions redacted from recordings and from what read_file returns.'),
    readDenylist: z.array(z.string()).default(DEFAULT_READ_DENYLIST).describe('Globs read_file refuses to read.'),
  })
  .describe('The llm provider (Anthropic Messages API); enabled by ANTHROPIC_API_KEY.');

export const PolicySchema = z.strictObject({
  $schema: z.string().optional(),
  $comment: z.string().optional().describe('Free text for people reading the file; ignored.'),
  suites: z.array(SuiteSchema).min(1).describe('The test suites the loop runs and keeps green.'),
  budget: z
    .strictObject({
      maxIterations: z.number().int().positive().default(5).describe('Iterations before the loop stops.'),
      maxAttemptsPerProblem: z
        .number()
        .int()
        .positive()
        .default(5)
        .describe('Candidates tried for one problem in a run before it is parked.'),
      maxWallMinutes: z
        .number()
        .positive()
        .optional()
        .describe('Wall time of the run: a deadline. The step under way when it passes (a suite, a verification, a model request) is stopped, the reports are written as for an interruption, and the stop reason is "budget".'),
      maxTokens: z.number().int().positive().optional().describe('Model tokens (input, output and cache) the run may spend in total; checked before every LLM request.'),
      maxCostUSD: z.number().positive().optional().describe('US dollars the run may spend on the model, priced with llm.prices; checked before every LLM request.'),
    })
    .describe('Limits of a run; the run stops when one is spent.')
    .prefault({}),
  guard: z
    .strictObject({
      protect: z.array(z.string()).default(DEFAULT_PROTECT).describe('Globs the loop must never edit.'),
      allowEscapeHatches: z
        .boolean()
        .default(false)
        .describe('Accept patches that add @ts-ignore, `as any`, eslint-disable, # noqa, empty catch blocks and the like.'),
      harness: z
        .array(z.string())
        .default(DEFAULT_HARNESS)
        .describe(
          'Globs of the test harness a patch may never edit, whatever `protect` says: runner configurations (vite/vitest/jest/mocha/pytest/tox/setup.cfg…), mocks, fixtures and snapshots. The setup files those configurations name, package.json\'s runner keys ("jest", "mocha"…) and pyproject.toml\'s [tool.pytest] are guarded too. Replace the list to narrow or widen it.',
        ),
      allowTestDetection: z
        .boolean()
        .default(false)
        .describe(
          "Accept source edits that detect the test runner (process.env.VITEST, JEST_WORKER_ID, NODE_ENV === 'test', import.meta.vitest, 'pytest' in sys.modules, expect.extend): code that behaves differently under test is not a fix.",
        ),
    })
    .describe('What candidates may not do.')
    .prefault({}),
  repair: z
    .strictObject({
      maxPatchLines: z.number().int().positive().default(200).describe('Largest patch (added plus removed lines) a candidate may be.'),
      maxFiles: z.number().int().positive().default(10).describe('Most files one candidate may change.'),
    })
    .describe('Size limits of a candidate.')
    .prefault({}),
  llm: LlmSchema.prefault({}),
  git: z
    .strictObject({
      branch: z
        .string()
        .default('fixloop/{runId}')
        .describe(
          'Branch the fixes are committed on, created from HEAD; "{runId}" is replaced. "current": work on fixloop/{runId}, then fast-forward the checked-out branch to it when the checkout is untouched and clean.',
        ),
      push: z
        .string()
        .min(1)
        .optional()
        .describe('Remote to push the loop branch to at the end of a run that committed fixes (never forced). Unset: never push.'),
      author: z
        .strictObject({ name: z.string().min(1), email: z.string().min(3) })
        .optional()
        .describe("Author and committer of fix commits; default: the repository's git identity."),
    })
    .describe('Where fixes are committed and pushed.')
    .prefault({}),
  verify: z
    .strictObject({
      concurrency: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Candidates verified at the same time, each in its own worktree. Unset: cores - 1, at least 1.'),
      sandbox: z
        .preprocess(
          (value) => (typeof value === 'string' ? { mode: value } : value),
          z.strictObject({
            mode: z
              .enum(['auto', 'required', 'off'])
              .default('auto')
              .describe('"auto": verification runs go into bubblewrap where it runs (Linux, `bwrap` installed), and the report says which isolation each had; "required": a run refuses to start without it (exit 2); "off": never.'),
            network: z.boolean().default(false).describe('Let sandboxed verification runs reach the network (off: they have none).'),
            scope: z
              .enum(['model', 'every-candidate'])
              .default('model')
              .describe('"model": candidates of a model (or any provider not marked deterministic) are sandboxed, those of codefix/syntax/rules/python are verified like the project\'s own tooling; "every-candidate": all are.'),
          }),
        )
        .prefault({})
        .describe('The OS sandbox for verification runs, which execute candidates\' code: the file system read-only but the candidate\'s worktree and a private temp directory, no network, no secrets. A string is the mode.'),
    })
    .describe('How candidates are verified.')
    .prefault({}),
  flaky: z
    .strictObject({
      reruns: z
        .number()
        .int()
        .min(0)
        .default(2)
        .describe('Times each failing test is re-run before repair (by name, after the baseline run, which is the command as it is; vitest retries it within one re-run), and a test a candidate seems to break before it counts; one that passes in any re-run is flaky and never repaired.'),
      exitCode: z
        .union([z.literal(0), z.literal(1)])
        .default(1)
        .describe('Exit code of a run that ends with only flaky tests failing (stop reason "flaky", status "failing"): 1, as the suites can fail; 0 to accept them.'),
    })
    .describe('Detection of flaky tests before repair.')
    .prefault({}),
  culprit: z
    .strictObject({
      enabled: z.boolean().default(true).describe('For a problem the loop does not fix (or the revert provider asks about), find the commit that made its tests fail: the loop\'s earlier runs first, then a bisection over first-parent history running only those tests by name, each probe in a temporary worktree. The culprit is in the events, the iteration report and the summary.'),
      maxRuns: z.number().int().min(0).default(12).describe('Test runs one culprit search may take (0: only what the loop\'s earlier runs tell). Searching back in growing steps, then halving, 12 reach a regression anywhere in the last 50 commits.'),
      maxCommits: z.number().int().positive().default(50).describe('First-parent commits searched back from the head.'),
      revert: z.boolean().default(true).describe('The revert provider: for a problem with a culprit, propose reverting its hunks in the files on the failing path, then the whole commit, verified like any candidate and committed as `revert(<scope>): …` with a `Reverts:` trailer. Never for a merge commit or one that touched protected or harness paths.'),
    })
    .describe('Finding the commit that broke a failing test, and reverting it.')
    .prefault({}),
  categories: z
    .record(z.string().min(1), z.array(z.string().min(1)).min(1))
    .optional()
    .describe('Category name → globs of test files (repository-relative); a test counts in the first category that matches. Reports show tests and pass rate per category.'),
  goal: z
    .strictObject({
      expectedTests: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('How many tests the suites should execute; fewer executed is never called green, and the report shows the progress.'),
    })
    .describe('What the suites should reach.')
    .prefault({}),
  deploy: z
    .strictObject({
      commands: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            command: z.string().min(1).describe('Shell command, run at the root of the loop\'s checkout.'),
            timeoutSec: seconds().default(600),
          }),
        )
        .min(1),
      when: z.enum(['green', 'always']).default('green').describe('After an iteration that ends green (default), or after every iteration.'),
      stopOnFailure: z.boolean().default(false).describe('Stop the loop when a deploy step fails (a blocker never stops it).'),
    })
    .optional()
    .describe('Commands run after an iteration, e.g. a staging deploy; their outcome is in the report.'),
  env: z
    .strictObject({
      pass: z
        .array(z.string().regex(/^[^=\0]+$/, 'an environment variable name'))
        .default([])
        .describe(
          'Variables let through to test, setup and deploy commands although they look like secrets (ANTHROPIC_API_KEY, *_API_KEY, *_TOKEN, *_SECRET, *PASSWORD*, credential-like *_KEY, AWS_*/GOOGLE_APPLICATION_CREDENTIALS/GITHUB_TOKEN/NPM_TOKEN credentials, URLs with a password for a remote host), e.g. ["STRIPE_TEST_KEY"] for a suite that needs it. Every other variable of your environment reaches them as it is, and fixloop adds none.',
        ),
    })
    .describe('The environment of the commands fixloop runs: yours, minus secrets.')
    .prefault({}),
  report: z
    .strictObject({
      dir: z.string().default('.fixloop/runs/{runId}').describe('Where reports are written, relative to the repository root.'),
      commit: z.boolean().default(false).describe("Also commit each iteration's reports on the loop's branch (report.dir must be inside the repository)."),
    })
    .describe('Where reports go.')
    .prefault({}),
});

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type SuiteConfig = z.output<typeof SuiteSchema>;
export type LlmPolicy = z.output<typeof LlmSchema>;
export type LlmPrice = z.output<typeof PriceSchema>;
