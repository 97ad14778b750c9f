// Prompts are Markdown templates in prompts/ with named placeholders ({{problem}}). They are read
// and checked when the provider is built, so a typo in a template fails at start-up, not mid-run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** prompts/ at the package root: three levels up from src/repair/llm/ (and from dist/repair/llm/). */
export const DEFAULT_PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prompts');

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptTemplateError';
  }
}

export class PromptTemplate<Name extends string> {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly names: readonly Name[],
  ) {}

  /** Reads `<dir>/<name>.md`; every placeholder must be one of `names` and every name must be used. */
  static load<Name extends string>(dir: string, name: string, names: readonly Name[]): PromptTemplate<Name> {
    const file = path.join(dir, `${name}.md`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new PromptTemplateError(`Cannot read prompt template ${file}: ${(err as Error).message}`);
    }
    const used = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]));
    const unknown = [...used].filter((u) => !(names as readonly string[]).includes(u));
    if (unknown.length) {
      throw new PromptTemplateError(`${file}: unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')}; allowed: ${names.map((n) => `{{${n}}}`).join(', ') || 'none'}`);
    }
    const missing = names.filter((n) => !used.has(n));
    if (missing.length) {
      throw new PromptTemplateError(`${file}: missing placeholder${missing.length > 1 ? 's' : ''} ${missing.map((m) => `{{${m}}}`).join(', ')}`);
    }
    return new PromptTemplate(file, text, names);
  }

  /** The template with every placeholder replaced; values are inserted verbatim (never re-expanded). */
  render(values: Record<Name, string>): string {
    return this.text.replace(PLACEHOLDER, (_m, name: string) => values[name as Name]).trim();
  }
}

export interface Prompts {
  system: PromptTemplate<never>;
  problem: PromptTemplate<'problem' | 'failures' | 'context' | 'protected' | 'history'>;
  nudge: PromptTemplate<'turnsLeft'>;
}

export function loadPrompts(dir = DEFAULT_PROMPTS_DIR): Prompts {
  return {
    system: PromptTemplate.load(dir, 'system', []),
    problem: PromptTemplate.load(dir, 'problem', ['problem', 'failures', 'context', 'protected', 'history'] as const),
    nudge: PromptTemplate.load(dir, 'nudge', ['turnsLeft'] as const),
  };
}
