// Regenerates docs/policy.schema.json, docs/policy.md and docs/iteration.schema.json from their zod schemas: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { policyJsonSchema, policyReference } from '../src/policy/index.js';
import { iterationReportJsonSchema } from '../src/report/index.js';

writeFileSync(new URL('../docs/policy.schema.json', import.meta.url), `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
writeFileSync(new URL('../docs/iteration.schema.json', import.meta.url), `${JSON.stringify(iterationReportJsonSchema(), null, 2)}\n`);
writeFileSync(new URL('../docs/policy.md', import.meta.url), policyReference());
