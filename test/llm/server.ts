// A local stand-in for the Messages API: plays a script of answers, one per request, as JSON or
// as an SSE stream (message_start, content blocks with text/input_json deltas, message_delta with
// usage, message_stop), or as an error status. It counts prompt tokens (characters / 4) and
// simulates prompt caching of the prefix marked with cache_control, so usage is realistic.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Block = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };

export type Step =
  | { answer: Block[]; stopReason?: string; outputTokens?: number }
  | { status: number; errorType: string; message?: string; headers?: Record<string, string> }
  /** A 200 stream that sends message_start, then `event: error`. */
  | { streamError: string }
  /**
   * A 200 stream that sends message_start and then nothing (`stall`), or a ping every
   * `pingEveryMs` and never an answer (`trickle`): the connection stays open until the server closes.
   */
  | { stall: 'silent' }
  | { stall: 'trickle'; pingEveryMs: number };

export interface Received {
  body: any;
  headers: IncomingMessage['headers'];
  /** Prompt tokens as the server counted them (characters of system + tools + messages / 4). */
  promptTokens: number;
}

export interface ScriptedServer {
  url: string;
  requests: Received[];
  /** Steps not played yet. */
  remaining(): number;
  /** Appends steps to the script. */
  push(...more: Step[]): void;
  close(): Promise<void>;
}

export const text = (t: string): Block => ({ type: 'text', text: t });
export const tool = (name: string, input: unknown, id?: string): Block => ({ type: 'tool_use', name, input, id });

export function tokensOf(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? null).length / 4);
}

export async function startServer(script: Step[]): Promise<ScriptedServer> {
  const steps = [...script];
  const requests: Received[] = [];
  const cached = new Set<string>();
  let ids = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    if (req.method !== 'POST' || req.url !== '/v1/messages' || !body) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `${req.method} ${req.url}` } }));
      return;
    }
    const promptTokens = tokensOf([body.system, body.tools, body.messages]);
    requests.push({ body, headers: req.headers, promptTokens });
    const step = steps.shift();
    if (!step) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' }).end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'script exhausted' } }));
      return;
    }
    if ('status' in step) {
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(JSON.stringify({ type: 'error', error: { type: step.errorType, message: step.message ?? step.errorType } }));
      return;
    }
    const usage = usageFor(body, promptTokens, cached);
    const id = `msg_${++ids}`;
    const message = { id, type: 'message', role: 'assistant', model: body.model, content: [] as unknown[], stop_reason: null, stop_sequence: null, usage };
    if ('stall' in step) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('message_start', { type: 'message_start', message }));
      if (step.stall === 'trickle') {
        const ping = setInterval(() => res.write(sse('ping', { type: 'ping' })), step.pingEveryMs);
        res.once('close', () => clearInterval(ping));
      }
      return;
    }
    if ('streamError' in step) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('message_start', { type: 'message_start', message }));
      res.end(sse('error', { type: 'error', error: { type: step.streamError, message: `${step.streamError} mid-stream` } }));
      return;
    }
    const blocks = step.answer.map((b, i) => (b.type === 'tool_use' ? { ...b, id: b.id ?? `toolu_${ids}_${i}` } : b));
    const stopReason = step.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const outputTokens = step.outputTokens ?? tokensOf(blocks);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...message, content: blocks, stop_reason: stopReason, usage: { ...usage, output_tokens: outputTokens } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(sse('message_start', { type: 'message_start', message: { ...message, usage: { ...usage, output_tokens: 1 } } }));
    for (const [index, block] of blocks.entries()) {
      if (block.type === 'text') {
        res.write(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const piece of split(block.text)) res.write(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
      } else {
        res.write(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
        for (const piece of split(JSON.stringify(block.input))) {
          res.write(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
        }
      }
      res.write(sse('content_block_stop', { type: 'content_block_stop', index }));
    }
    res.write(sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }));
    res.end(sse('message_stop', { type: 'message_stop' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    remaining: () => steps.length,
    push: (...more) => void steps.push(...more),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A stalled stream would keep close() waiting for its connection.
        server.closeAllConnections();
      }),
  };
}

/** The prefix up to the last cache_control breakpoint in system + tools is written once, then read. */
function usageFor(body: any, promptTokens: number, cached: Set<string>) {
  const system = Array.isArray(body.system) ? body.system : [];
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const marked = [...system, ...tools].some((b: any) => b?.cache_control);
  if (!marked) return { input_tokens: promptTokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 0 };
  const key = JSON.stringify([system, tools]);
  const prefix = tokensOf([system, tools]);
  const hit = cached.has(key);
  cached.add(key);
  return {
    input_tokens: Math.max(0, promptTokens - prefix),
    cache_read_input_tokens: hit ? prefix : 0,
    cache_creation_input_tokens: hit ? 0 : prefix,
    output_tokens: 0,
  };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Deltas in a few pieces, as a real stream sends them. */
function split(text: string): string[] {
  const size = Math.max(8, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}
