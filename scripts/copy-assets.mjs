// `npm run build` compiles src/ to dist/; the files tsc does not emit (the node:test reporter,
// helpers in other languages) are copied beside the modules that load them.
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';

const src = new URL('../src/', import.meta.url).pathname;
const dist = new URL('../dist/', import.meta.url).pathname;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || /\.(ts|mts|cts)$/.test(entry.name)) continue;
  const rel = path.relative(src, path.join(entry.parentPath, entry.name));
  cpSync(path.join(src, rel), path.join(dist, rel));
}
