// The JSON report format jest defined and vitest's JSON reporter follows: one schema and one
// status mapping for both parsers.
import { z } from 'zod';
import type { TestStatus } from '../../model.js';

export const AssertionSchema = z.object({
  ancestorTitles: z.array(z.string()),
  title: z.string(),
  // "focused" is jest's alone; vitest never reports it.
  status: z.enum(['passed', 'failed', 'skipped', 'pending', 'todo', 'disabled', 'focused']),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).nullish(),
  location: z.object({ line: z.number().int(), column: z.number().int() }).nullish(),
  // jest's alone: one entry per failure message, a matcher's values when an expect() failed.
  failureDetails: z.array(z.unknown()).nullish(),
});

export const TestFileSchema = z.object({
  name: z.string().min(1),
  status: z.string(),
  message: z.string().nullish(),
  assertionResults: z.array(AssertionSchema),
});

export type Assertion = z.infer<typeof AssertionSchema>;

export const STATUS: Record<Assertion['status'], TestStatus> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  pending: 'skipped',
  disabled: 'skipped',
  focused: 'passed',
  todo: 'todo',
};
