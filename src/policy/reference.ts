// docs/policy.md: every field of loop.policy.json with its type, default and description, generated
// from the JSON Schema of the zod schema (`npm run schema`), so the reference cannot drift from the code.
import { policyJsonSchema } from './json-schema.js';

type Node = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  additionalProperties?: Node | boolean;
  required?: string[];
};

function typeOf(n: Node): string {
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (n.anyOf) return n.anyOf.map(typeOf).join(' \\| ');
  if (n.type === 'array') return `${n.items ? typeOf(n.items) : 'any'}[]`;
  if (n.type === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object') return `{ name: ${typeOf(n.additionalProperties)} }`;
  return Array.isArray(n.type) ? n.type.join(' \\| ') : (n.type ?? 'any');
}

function defaultOf(n: Node): string {
  if (n.default === undefined) return '';
  const text = JSON.stringify(n.default);
  return text.length > 60 ? `\`${text.slice(0, 57)}…\`` : `\`${text}\``;
}

function rows(n: Node, prefix: string, out: string[][], required: string[] = []): void {
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    if (key.startsWith('$')) continue;
    const name = `${prefix}${key}`;
    out.push([`\`${name}\``, typeOf(child), required.includes(key) ? 'required' : defaultOf(child), (child.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')]);
    if (child.properties) rows(child, `${name}.`, out, child.required);
    if (child.type === 'array' && child.items?.properties) rows(child.items, `${name}[].`, out, child.items.required);
  }
}

export function policyReference(): string {
  const schema = policyJsonSchema() as Node;
  const out: string[][] = [];
  rows(schema, '', out, schema.required);
  return [
    '# loop.policy.json reference',
    '',
    'Generated from the zod schema in `src/policy/schema.ts` by `npm run schema`; do not edit by hand.',
    'Editors can validate against [policy.schema.json](policy.schema.json). Unknown keys are rejected.',
    '',
    '| field | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...out.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}
