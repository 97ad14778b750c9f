import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS_DIR, LlmProvider, PromptTemplateError } from '../../src/repair/llm/index.js';

function promptsWith(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-prompts-'));
  cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.md`), text);
  return dir;
}

describe('prompt templates', () => {
  it('fail at construction on an unknown placeholder', () => {
    const dir = promptsWith('problem', '{{problem}} {{failures}} {{context}} {{protected}} {{history}} {{histroy}}');
    expect(() => new LlmProvider({ apiKey: 'k', promptsDir: dir })).toThrow(PromptTemplateError);
    expect(() => new LlmProvider({ apiKey: 'k', promptsDir: dir })).toThrow(
      `${path.join(dir, 'problem.md')}: unknown placeholder {{histroy}}; allowed: {{problem}}, {{failures}}, {{context}}, {{protected}}, {{history}}`,
    );
  });

  it('fail at construction on a missing placeholder', () => {
    const dir = promptsWith('problem', '{{problem}} {{failures}} {{context}}');
    expect(() => new LlmProvider({ apiKey: 'k', promptsDir: dir })).toThrow(`${path.join(dir, 'problem.md')}: missing placeholders {{protected}}, {{history}}`);
  });

  it('fail at construction when a template is absent', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-prompts-'));
    expect(() => new LlmProvider({ apiKey: 'k', promptsDir: dir })).toThrow(/^Cannot read prompt template .*system\.md: ENOENT/);
  });

  it('need an API key from the environment', () => {
    expect(() => new LlmProvider({ env: {} })).toThrow('ANTHROPIC_API_KEY is not set: the llm provider needs it (or --no-llm)');
  });
});
