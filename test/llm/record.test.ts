import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderFatalError } from '../../src/repair/errors.js';
import { startServer, tool } from './server.js';
import { collect, ctxFor, GOOD_PATCH, KEY, PROBLEM, provider, sourceDir } from './helpers.js';

describe('--record and --replay', () => {
  it('records every exchange with secrets redacted, then replays the run with no server', async () => {
    const root = sourceDir({ 'src/config.ts': "export const token = 'sk-ant-api03-abcdefghijklmnop';\n" });
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-record-'));
    const server = await startServer([
      { status: 529, errorType: 'overloaded_error', headers: { 'retry-after-ms': '1' } },
      { answer: [tool('read_file', { path: 'src/config.ts' }, 'toolu_read')] },
      { answer: [tool('propose_patch', GOOD_PATCH)] },
    ]);
    const recorded = await collect(provider(server.url, { record: dir }).propose(PROBLEM, ctxFor(root)));
    await server.close();

    expect(readdirSync(dir)).toEqual(['0001.json', '0002.json', '0003.json']);
    const files = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
    for (const text of files) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('sk-ant-api03-abcdefghijklmnop');
    }
    const third = JSON.parse(files[2]);
    expect(third.request.path).toBe('/v1/messages');
    expect(third.request.body.messages[2].content[0].content).toBe("src/config.ts:1-1 of 1\n1\texport const token = '[REDACTED]';");
    expect(third.response.status).toBe(200);
    expect(third.response.headers['content-type']).toBe('text/event-stream');
    expect(third.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number), cache_read_input_tokens: expect.any(Number) });
    expect(JSON.parse(files[0]).response.status).toBe(529);

    // No server: a base URL nothing listens on, and no key in the environment.
    const replayed = await collect(provider('http://127.0.0.1:9', { replay: dir, apiKey: undefined, env: {} }).propose(PROBLEM, ctxFor(root)));
    expect(replayed).toEqual(recorded);
  });

  it('fails loudly when the run asks for more than was recorded', async () => {
    const root = sourceDir();
    const dir = mkdtempSync(path.join(tmpdir(), 'fixloop-record-'));
    const server = await startServer([{ answer: [tool('list_failures', {})] }]);
    await collect(provider(server.url, { record: dir, llm: { maxTurns: 1 } }).propose(PROBLEM, ctxFor(root)));
    await server.close();

    const error = await collect(provider('http://127.0.0.1:9', { replay: dir, llm: { maxRetries: 0 } }).propose(PROBLEM, ctxFor(root))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderFatalError);
    expect((error as Error).message).toBe(`--replay ${dir}: the run asked for exchange 2 but only 1 were recorded; it diverged from the recording`);
  });
});
