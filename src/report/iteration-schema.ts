// The shape of iteration-N.json, as a zod schema: the single source for its TypeScript type and
// for docs/iteration.schema.json (`npm run schema`). Strict objects, so the document cannot drift.
import { z } from 'zod';

const Location = z.strictObject({ file: z.string(), line: z.number().int(), column: z.number().int().nullable() }).nullable();
const Totals = z.strictObject({ tests: z.number().int(), passed: z.number().int(), failed: z.number().int(), skipped: z.number().int(), loadErrors: z.number().int() });
const Blocker = z.strictObject({ reason: z.enum(['command-not-found', 'timeout', 'no-report', 'crash', 'environment']), message: z.string(), outputTail: z.string() });
const SuiteState = {
  status: z.string(),
  totals: Totals,
  failing: z.array(z.string()),
  loadFailed: z.array(z.string()),
  skipped: z.array(z.string()),
};
const Verdict = z
  .strictObject({
    kind: z.enum(['fixed', 'partial', 'no-effect', 'regressed', 'broken']),
    fixed: z.array(z.string()),
    broke: z.array(z.string()),
    stillFailing: z.array(z.string()),
    summary: z.string(),
  })
  .nullable();
const FailureFields = { message: z.string().nullable(), errorName: z.string().nullable(), location: Location };
const TestStatus = z.enum(['passed', 'failed', 'skipped', 'todo']);
const CategoryRow = z.strictObject({
  category: z.string(),
  tests: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  loadErrors: z.number().int(),
  passRate: z.number().nullable(),
});

export const IterationReportSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    runId: z.string(),
    iteration: z.number().int().positive(),
    startedAt: z.string(),
    endedAt: z.string(),
    baseSha: z.string(),
    expectedTests: z.number().int().nullable(),
    green: z.boolean().describe('Every executed test passed, every file loaded, every suite ran, and no expected test is missing.'),
    totals: z.strictObject({ before: Totals, after: Totals }),
    newlyPassing: z.array(z.string()),
    suites: z.array(
      z.strictObject({
        suite: z.string(),
        command: z.string(),
        exitCode: z.number().int().nullable(),
        timedOut: z.boolean(),
        durationMs: z.number(),
        logFile: z.string().nullable(),
        blocker: Blocker.nullable(),
        ...SuiteState,
        before: z.strictObject({ ...SuiteState, blocker: Blocker.nullable() }).nullable(),
      }),
    ),
    problems: z.array(
      z.strictObject({
        id: z.string(),
        kind: z.enum(['syntax', 'module-load', 'type', 'reference', 'assertion', 'timeout', 'environment', 'unknown']),
        title: z.string(),
        message: z.string(),
        location: Location,
        testIds: z.array(z.string()),
        loadFailedFiles: z.array(z.string()),
        testFiles: z.array(z.string()),
      }),
    ),
    fixes: z.array(
      z.strictObject({
        sha: z.string(),
        message: z.string(),
        files: z.array(z.string()),
        problemId: z.string(),
        candidateId: z.string(),
        provider: z.string(),
        iteration: z.number().int(),
        rootCause: z.string().nullable(),
        verdict: Verdict,
      }),
    ),
    attempts: z.array(
      z.strictObject({
        problemId: z.string(),
        candidateId: z.string(),
        provider: z.string(),
        title: z.string(),
        outcome: z.enum(['committed', 'rejected', 'not-accepted', 'error']),
        reason: z.string().nullable(),
        rootCause: z.string().nullable(),
        verdict: Verdict,
        diff: z.string(),
      }),
    ),
    flaky: z.array(z.strictObject({ id: z.string(), history: z.array(TestStatus) })),
    deploy: z
      .array(
        z.strictObject({
          name: z.string(),
          command: z.string(),
          status: z.enum(['ok', 'blocked', 'failed']),
          exitCode: z.number().int().nullable(),
          timedOut: z.boolean(),
          durationMs: z.number(),
          outputTail: z.string(),
        }),
      )
      .nullable(),
    categories: z.array(CategoryRow).nullable(),
    goal: z.strictObject({ expected: z.number().int(), executed: z.number().int(), passed: z.number().int(), notLocated: z.number().int() }).nullable(),
    discovery: z.array(z.strictObject({ suite: z.string(), count: z.number().int().optional(), reason: z.string().optional() })).nullable(),
    blockers: z.array(
      z.strictObject({
        suite: z.string(),
        command: z.string(),
        exitCode: z.number().int().nullable(),
        timedOut: z.boolean(),
        reason: Blocker.shape.reason,
        message: z.string(),
        outputTail: z.string(),
      }),
    ),
    stillFailing: z.strictObject({
      tests: z.array(z.strictObject({ id: z.string(), suite: z.string(), file: z.string(), fullName: z.string(), ...FailureFields })),
      loadFailures: z.array(z.strictObject({ suite: z.string(), file: z.string(), ...FailureFields })),
    }),
    culprits: z.array(
      z.strictObject({
        problemId: z.string(),
        culprit: z
          .strictObject({
            sha: z.string(),
            subject: z.string(),
            author: z.string(),
            date: z.string(),
            lastGood: z.string(),
            merge: z.boolean(),
            files: z.array(z.string()),
            onPath: z.array(z.string()),
            diff: z.string().nullable(),
          })
          .nullable(),
        reason: z.string().nullable(),
        runs: z.number().int(),
        probes: z.array(z.strictObject({ sha: z.string(), outcome: z.enum(['pass', 'fail', 'absent', 'unknown']), from: z.enum(['run', 'earlier-run', 'history']) })),
      }),
    ),
  })
  .describe('fixloop iteration report (iteration-N.json)');

export type IterationReport = z.output<typeof IterationReportSchema>;

export function iterationReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(IterationReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
