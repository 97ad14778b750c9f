// A failure located in a package's bundled build output (rollup/esbuild output without a source
// map, type-checked or run by the package's own pretest) is moved to the line of the package's
// sources that was copied there: the fix belongs in `src/`, and a build rewrites `dist/`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../model.js';

const BUILD_DIR = /^(?:(.*)\/)?(?:dist|build|out)\/[^]*\.(?:[cm]?js|jsx)$/;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** Shorter lines (`}`, `return value;`) are in too many places to say which one was copied. */
const MIN_LINE = 16;
const MAX_FILES = 400;
const MAX_BYTES = 2_000_000;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (out.length >= MAX_FILES) break;
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) sourceFiles(full, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts') && st.size <= MAX_BYTES) out.push(full);
  }
  return out;
}

/**
 * Where the line at `location` (repository-relative, in `root`) came from, when it lies in a
 * `dist/`, `build/` or `out/` folder without a source map and its text (trimmed) is on exactly
 * one line of the `src/` folder beside that build folder; otherwise undefined.
 */
export function sourceOfBuiltLine(root: string, location: SourceLocation): SourceLocation | undefined {
  const match = BUILD_DIR.exec(location.file);
  if (!match) return undefined;
  const builtFile = path.join(root, location.file);
  const srcDir = path.join(root, match[1] ?? '', 'src');
  if (!existsSync(builtFile) || !existsSync(srcDir) || statSync(builtFile).size > MAX_BYTES) return undefined;
  const built = readFileSync(builtFile, 'utf8');
  if (/^\/\/# sourceMappingURL=/m.test(built)) return undefined; // a runner that reads maps has located it already
  const raw = built.split(/\r?\n/)[location.line - 1];
  const wanted = raw?.trim();
  if (!raw || !wanted || wanted.length < MIN_LINE) return undefined;
  const found: SourceLocation[] = [];
  for (const file of sourceFiles(srcDir)) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() !== wanted) continue;
      const column = location.column === undefined ? undefined : Math.max(1, location.column - raw.indexOf(wanted) + line.indexOf(wanted));
      found.push({ file: path.relative(root, file).split(path.sep).join('/'), line: i + 1, ...(column === undefined ? {} : { column }) });
      if (found.length > 1) return undefined;
    }
  }
  return found[0];
}
