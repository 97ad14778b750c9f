// Regenerates docs/policy.schema.json from the zod schema: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../src/policy/index.js';

writeFileSync(new URL('../docs/policy.schema.json', import.meta.url), `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
