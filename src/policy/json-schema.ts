import { z } from 'zod';
import { PolicySchema } from './schema.js';

/** The JSON Schema editors use for loop.policy.json (docs/policy.schema.json is generated from this). */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
