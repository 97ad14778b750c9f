// One model request: streamed (long answers need it), retried where the SDK does not retry
// (an `event: error` in the middle of a stream), and its failure sorted into what the provider
// does next: pause for an outage, stop the run for a rejected key, or give up on this problem.
import Anthropic from '@anthropic-ai/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderFatalError } from '../errors.js';
import { ReplayExhaustedError } from './recording.js';

export type MessageParams = Anthropic.MessageCreateParamsNonStreaming;

/** The service cannot answer now (rate limit, overload, 5xx, network) even after retries. */
export class OutageError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'OutageError';
  }
}

export interface SendOptions {
  /** Retries of a stream that broke after it started (the SDK retries only failed responses). */
  streamRetries: number;
  /** First backoff before a stream retry; doubled each time. */
  retryBaseMs: number;
  signal?: AbortSignal;
  provider: string;
}

export async function send(client: Anthropic, params: MessageParams, options: SendOptions): Promise<Anthropic.Message> {
  for (let attempt = 0; ; attempt++) {
    try {
      const stream = client.messages.stream(params, { signal: options.signal });
      return await stream.finalMessage();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const kind = classify(err);
      if (kind === 'stream' && attempt < options.streamRetries) {
        await sleep(options.retryBaseMs * 2 ** attempt, undefined, { signal: options.signal });
        continue;
      }
      throw explain(err, kind, options.provider);
    }
  }
}

type Kind = 'fatal' | 'outage' | 'stream' | 'other';

function classify(err: unknown): Kind {
  if (err instanceof Anthropic.APIConnectionError) {
    return err.cause instanceof ReplayExhaustedError ? 'fatal' : 'outage';
  }
  if (err instanceof Anthropic.APIError) {
    const status = err.status;
    // An error event inside a 200 stream carries no status; the SDK neither retries nor resumes it.
    if (status === undefined) return 'stream';
    if (status === 401 || status === 403 || status === 404) return 'fatal';
    if (status === 408 || status === 409 || status === 429 || status >= 500) return 'outage';
    return 'other';
  }
  return 'other';
}

function explain(err: unknown, kind: Kind, provider: string): Error {
  const e = err as Error & { status?: number; cause?: unknown };
  const detail = e.message;
  switch (kind) {
    case 'fatal': {
      if (e.cause instanceof ReplayExhaustedError) return new ProviderFatalError(provider, e.cause.message);
      const hint =
        e.status === 401
          ? 'the API key was rejected: check ANTHROPIC_API_KEY'
          : e.status === 403
            ? 'the API key may not use this model or endpoint'
            : 'the model or endpoint does not exist: check llm.model and llm.baseURL / ANTHROPIC_BASE_URL';
      return new ProviderFatalError(provider, `LLM request failed with ${e.status}: ${hint} (${detail})`, e.status);
    }
    case 'outage':
    case 'stream':
      return new OutageError(`the Messages API is unavailable${e.status ? ` (${e.status})` : ''} after retries: ${detail}`, e.status);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
