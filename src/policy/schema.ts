import { z } from 'zod';

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

export const SuiteSchema = z
  .strictObject({
    name: z.string().min(1).describe('Name shown in reports, e.g. "unit".'),
    command: z.string().min(1).describe('Shell command that runs the suite, e.g. "npx vitest run".'),
    format: z
      .enum(['auto', 'vitest', 'jest', 'node-test', 'pytest', 'junit', 'exit-code'])
      .default('auto')
      .describe(
        'How to read the results: "auto" detects vitest, jest, node --test and pytest from the command (or the npm script it runs) and otherwise judges by exit code.',
      ),
    timeoutSec: z.number().positive().default(600).describe('The whole process tree is killed after this many seconds.'),
    cwd: z.string().optional().describe('Directory to run in, relative to the repository root.'),
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

export const PolicySchema = z.strictObject({
  $schema: z.string().optional(),
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
    })
    .prefault({}),
  guard: z
    .strictObject({
      protect: z.array(z.string()).default(DEFAULT_PROTECT).describe('Globs the loop must never edit.'),
      allowEscapeHatches: z
        .boolean()
        .default(false)
        .describe('Accept patches that add @ts-ignore, `as any`, eslint-disable, # noqa, empty catch blocks and the like.'),
    })
    .prefault({}),
  repair: z
    .strictObject({
      maxPatchLines: z.number().int().positive().default(200).describe('Largest patch (added plus removed lines) a candidate may be.'),
      maxFiles: z.number().int().positive().default(10).describe('Most files one candidate may change.'),
    })
    .prefault({}),
  git: z
    .strictObject({
      branch: z
        .string()
        .default('fixloop/{runId}')
        .describe('Branch the fixes are committed on, created from HEAD; "{runId}" is replaced.'),
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
    .prefault({}),
  verify: z
    .strictObject({
      concurrency: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Candidates verified at the same time, each in its own worktree. Unset: cores - 1, at least 1.'),
    })
    .prefault({}),
  flaky: z
    .strictObject({
      reruns: z
        .number()
        .int()
        .min(0)
        .default(2)
        .describe('Times each failing test is re-run before repair; one that passes in any re-run is flaky and never repaired.'),
    })
    .prefault({}),
  report: z
    .strictObject({
      dir: z.string().default('.fixloop/runs/{runId}').describe('Where reports are written, relative to the repository root.'),
    })
    .prefault({}),
});

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type SuiteConfig = z.output<typeof SuiteSchema>;
