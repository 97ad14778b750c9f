// The code under test behind a failing assertion. An assertion fails in the test file, and its
// stack holds no frame of the code that computed the wrong value; the project function the
// assertion's line calls, found through the test file's imports, is where a person looks next.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../model.js';

export type Callee = SourceLocation & { name: string };

const NOT_UNDER_TEST = new Set(['expect', 'assert', 'it', 'test', 'describe', 'require', 'import', 'if', 'for', 'while', 'switch', 'return', 'function', 'typeof', 'await', 'new', 'Number', 'String', 'Boolean', 'Array', 'Object', 'JSON', 'len', 'str', 'int', 'list', 'dict', 'set']);
const JS_EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];

function read(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

/** Name → module specifier, for the names a test file imports (ES, CommonJS, Python). */
export function importsOf(source: string): Map<string, string> {
  const names = new Map<string, string>();
  const list = (text: string, spec: string) => {
    for (const part of text.split(',')) {
      const name = part.trim().split(/\s+as\s+|\s*:\s*/).at(-1)?.trim();
      if (name && /^[\w$]+$/.test(name)) names.set(name, spec);
    }
  };
  for (const m of source.matchAll(/import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*from\s*['"]([^'"]+)['"]/g)) {
    if (m[1]) names.set(m[1], m[4]);
    if (m[2]) list(m[2], m[4]);
    if (m[3]) names.set(m[3], m[4]);
  }
  for (const m of source.matchAll(/(?:const|let|var)\s+(?:\{([^}]*)\}|([\w$]+))\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (m[1]) list(m[1], m[3]);
    if (m[2]) names.set(m[2], m[3]);
  }
  for (const m of source.matchAll(/^from\s+([\w.]+)\s+import\s+\(?([^)\n]+)\)?/gm)) list(m[2], m[1]);
  return names;
}

/** The project file a specifier names, or undefined for a package. */
function resolveModule(root: string, testFile: string, spec: string): string | undefined {
  const dir = path.dirname(path.resolve(root, testFile));
  if (spec.startsWith('./') || spec.startsWith('../')) {
    const base = path.resolve(dir, spec);
    const bases = [base, base.replace(/\.(m|c)?js$/, '')];
    for (const b of bases) for (const ext of JS_EXTENSIONS) if (existsSync(b + ext) && !existsSync(`${b + ext}/`)) return b + ext;
    return undefined;
  }
  if (testFile.endsWith('.py') && /^\.*[\w]+(\.[\w]+)*$/.test(spec)) {
    const dots = /^\.*/.exec(spec)![0].length;
    const rel = `${spec.slice(dots).split('.').join('/')}.py`;
    const from = dots > 0 ? path.resolve(dir, '../'.repeat(dots - 1)) : root;
    const file = path.join(from, rel);
    return existsSync(file) ? file : undefined;
  }
  return undefined;
}

const declaration = (name: string) =>
  new RegExp(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?\\s*${name}\\b|(?:const|let|var)\\s+${name}\\s*=|def\\s+${name}\\s*\\(|class\\s+${name}\\b)|^\\s*(?:module\\.)?exports\\.${name}\\s*=`);

/** The project function the test line `at` calls, declared in a file it imports; undefined when none is found. */
export function calleeOf(root: string, at: SourceLocation): Callee | undefined {
  const lines = read(path.resolve(root, at.file));
  const line = lines?.[at.line - 1];
  if (!lines || line === undefined) return undefined;
  const imports = importsOf(lines.join('\n'));
  for (const call of line.matchAll(/(?:([\w$]+)\.)?([\w$]+)\s*\(/g)) {
    const [, owner, name] = call;
    const via = owner && imports.has(owner) ? owner : name;
    if (NOT_UNDER_TEST.has(name) || !imports.has(via)) continue;
    const file = resolveModule(root, at.file, imports.get(via)!);
    const source = file && read(file);
    if (!file || !source) continue;
    const index = source.findIndex((l) => declaration(name).test(l));
    if (index >= 0) return { name, file: path.relative(root, file).split(path.sep).join('/'), line: index + 1 };
  }
  return undefined;
}
