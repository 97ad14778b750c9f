// The repair bench's fault kinds that have a Python counterpart, for the Python entries of the
// real corpus (bench/faults.ts reads TypeScript/JavaScript only). Line-based on purpose: the sites
// are the plain, common shapes (a block header's colon, a top-level import, a use of a module-level
// name), listed in file order so a seed picks the same ones everywhere.
import type { FaultKind, Site } from '../faults.js';

export const PY_FAULT_KINDS: FaultKind[] = ['syntax', 'missing-import', 'misspelled-identifier'];

type Found = { description: string; faulty: string };

function replaceLine(lines: string[], i: number, line: string | undefined): string {
  const copy = [...lines];
  if (line === undefined) copy.splice(i, 1);
  else copy[i] = line;
  return copy.join('\n');
}

function syntax(lines: string[]): Found[] {
  return lines.flatMap((line, i) =>
    /^\s*(def|class|if|elif|else|for|while|with|try|except|finally)\b.*:\s*$/.test(line) && !line.trim().startsWith('#')
      ? [{ description: `line ${i + 1}: delete the colon ending the block header`, faulty: replaceLine(lines, i, line.replace(/:\s*$/, '')) }]
      : [],
  );
}

function usedElsewhere(lines: string[], at: number, name: string): boolean {
  const word = new RegExp(`(?<![.\\w])${name}\\b`);
  return lines.some((l, j) => j !== at && !l.trimStart().startsWith('#') && word.test(l));
}

function missingImport(lines: string[]): Found[] {
  return lines.flatMap((line, i) => {
    const from = /^from (\S+) import ([\w, ]+?)\s*$/.exec(line);
    if (from && from[1] !== '__future__') {
      const names = from[2].split(',').map((n) => n.trim()).filter(Boolean);
      return names
        .filter((n) => !/ as /.test(n) && usedElsewhere(lines, i, n))
        .map((n) => {
          const rest = names.filter((o) => o !== n);
          return { description: `line ${i + 1}: drop the import of ${n}`, faulty: replaceLine(lines, i, rest.length ? `from ${from[1]} import ${rest.join(', ')}` : undefined) };
        });
    }
    const plain = /^import (\w+)\s*$/.exec(line);
    return plain && usedElsewhere(lines, i, plain[1]) ? [{ description: `line ${i + 1}: drop the import of ${plain[1]}`, faulty: replaceLine(lines, i, undefined) }] : [];
  });
}

function misspell(name: string): string {
  const at = Math.floor(name.length / 2);
  const ch = name[at];
  const replacement = /[a-yA-Y]/.test(ch) ? String.fromCharCode(ch.charCodeAt(0) + 1) : 'x';
  return name.slice(0, at) + replacement + name.slice(at + 1);
}

function misspelledIdentifier(lines: string[]): Found[] {
  const defined = new Set(lines.flatMap((l) => /^(?:def|class) (\w{4,})|^(\w{4,}) *(?::[^=]*)?= /.exec(l)?.slice(1).filter(Boolean) ?? []));
  return lines.flatMap((line, i) => {
    if (/^\s*(#|def |class |@)/.test(line) || /^\s*("""|''')/.test(line)) return [];
    const found: Found[] = [];
    for (const name of defined) {
      const use = new RegExp(`(?<![.\\w'"])${name}\\b(?!\\s*=[^=])`).exec(line);
      if (!use) continue;
      const edited = line.slice(0, use.index) + misspell(name) + line.slice(use.index + name.length);
      found.push({ description: `line ${i + 1}: ${name} → ${misspell(name)}`, faulty: replaceLine(lines, i, edited) });
    }
    return found;
  });
}

const FINDERS: Partial<Record<FaultKind, (lines: string[]) => Found[]>> = { syntax, 'missing-import': missingImport, 'misspelled-identifier': misspelledIdentifier };

export function pySitesOf(kind: FaultKind, file: string, text: string): Site[] {
  const finder = FINDERS[kind];
  return finder ? finder(text.split('\n')).map((f) => ({ kind, file, ...f })) : [];
}
