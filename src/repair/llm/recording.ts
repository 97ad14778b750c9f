// --record DIR / --replay DIR: a fetch the SDK is given, which saves every exchange (redacted) or
// serves saved ones back in order with no network, so a night's run can be reproduced exactly.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One request and its response as saved on disk, one file per exchange: 0001.json, 0002.json, … */
export interface Exchange {
  seq: number;
  at: string;
  request: { method: string; path: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: string };
  /** The usage the response reported (summed over a stream's events), for reading recordings. */
  usage?: Record<string, number>;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Response headers worth keeping: the SDK reads retry-after and request-id; nothing else matters. */
const KEPT_HEADERS = ['content-type', 'retry-after', 'retry-after-ms', 'request-id', 'x-should-retry'];

export function recordingFetch(dir: string, redact: (text: string) => string, inner: Fetch = fetch): Fetch {
  mkdirSync(dir, { recursive: true });
  let seq = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).length;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const response = await inner(input, init);
    // The body is read whole (streams included) so it can be saved before the SDK parses it.
    const body = await response.text();
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    seq++;
    const requestText = typeof init?.body === 'string' ? redact(init.body) : '';
    const exchange: Exchange = {
      seq,
      at: new Date().toISOString(),
      request: { method: init?.method ?? 'GET', path: url.pathname, body: safeJson(requestText) },
      response: { status: response.status, headers, body: redact(body) },
      usage: usageOf(body),
    };
    writeFileSync(path.join(dir, `${String(seq).padStart(4, '0')}.json`), `${JSON.stringify(exchange, null, 2)}\n`);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Serves the exchanges of dir in order; a run that asks for more than was recorded fails loudly. */
export function replayFetch(dir: string): Fetch {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort();
  } catch {
    throw new Error(`--replay ${dir}: no such directory`);
  }
  if (files.length === 0) throw new Error(`--replay ${dir}: no recorded exchanges (NNNN.json) in it`);
  let next = 0;
  return async () => {
    const file = files[next++];
    if (!file) throw new ReplayExhaustedError(`--replay ${dir}: the run asked for exchange ${next} but only ${files.length} were recorded; it diverged from the recording`);
    const exchange = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Exchange;
    return new Response(exchange.response.body, { status: exchange.response.status, headers: exchange.response.headers });
  };
}

export class ReplayExhaustedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayExhaustedError';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Usage from a JSON body, or the last value of each counter across a stream's events. */
function usageOf(body: string): Record<string, number> | undefined {
  const usage: Record<string, number> = {};
  for (const match of body.matchAll(/"usage"\s*:\s*(\{[^{}]*\})/g)) {
    const parsed = safeJson(match[1]);
    if (!parsed || typeof parsed !== 'object') continue;
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') usage[k] = v;
  }
  return Object.keys(usage).length ? usage : undefined;
}
