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
  /** Retries of a stream that broke or stalled after it started (the SDK retries only failed responses). */
  streamRetries: number;
  /** A stream that sends no byte for this long has stalled (llm.idleTimeoutSec). */
  idleTimeoutSec: number;
  /** One request, its answer streamed to the end, takes at most this long (llm.timeoutSec). */
  timeoutSec: number;
  /** The bytes of the client's answers, as `StreamActivity.wrap` sees them. */
  activity: StreamActivity;
  /** First backoff before a stream retry; doubled each time. */
  retryBaseMs: number;
  signal?: AbortSignal;
  provider: string;
}

/**
 * The bytes of answers as they arrive, seen below the SDK: the SDK drops the `ping` events a slow
 * answer is kept alive with, and its own timeout stops at the response's headers, so a stream that
 * stalls after them would be waited for without end.
 */
export class StreamActivity {
  private listener?: (event: 'bytes' | 'end') => void;

  /** `fetch` with the body of every successful response watched. */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await base(input, init);
      if (!response.ok || !response.body) return response;
      this.listener?.('bytes');
      const watched = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, controller) => {
            this.listener?.('bytes');
            controller.enqueue(chunk);
          },
          flush: () => this.listener?.('end'),
        }),
      );
      return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  /** One request at a time is watched: the provider's turns are sequential. */
  watch(listener: (event: 'bytes' | 'end') => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }
}

/** Aborts one attempt when its stream stalls or the whole request outlasts its time. */
function limitAttempt(options: SendOptions) {
  const controller = new AbortController();
  let limit: 'stalled' | 'overtime' | undefined;
  const stop = (why: 'stalled' | 'overtime') => {
    limit ??= why;
    controller.abort();
  };
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const total = setTimeout(() => stop('overtime'), options.timeoutSec * 1000);
  let idle: NodeJS.Timeout | undefined;
  const unwatch = options.activity.watch((event) => {
    clearTimeout(idle);
    if (event === 'bytes') idle = setTimeout(() => stop('stalled'), options.idleTimeoutSec * 1000);
  });
  return {
    signal: controller.signal,
    limit: () => limit,
    dispose: () => {
      clearTimeout(total);
      clearTimeout(idle);
      unwatch();
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

export async function send(client: Anthropic, params: MessageParams, options: SendOptions): Promise<Anthropic.Message> {
  for (let attempt = 0; ; attempt++) {
    const attemptLimit = limitAttempt(options);
    try {
      const stream = client.messages.stream(params, { signal: attemptLimit.signal });
      return await stream.finalMessage();
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const kind = attemptLimit.limit() ?? classify(err);
      if ((kind === 'stream' || kind === 'stalled') && attempt < options.streamRetries) {
        await sleep(options.retryBaseMs * 2 ** attempt, undefined, { signal: options.signal });
        continue;
      }
      throw explain(err, kind, options);
    } finally {
      attemptLimit.dispose();
    }
  }
}

type Kind = 'fatal' | 'outage' | 'stream' | 'stalled' | 'overtime' | 'other';

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

function explain(err: unknown, kind: Kind, options: SendOptions): Error {
  const e = err as Error & { status?: number; cause?: unknown };
  const detail = e.message;
  const provider = options.provider;
  switch (kind) {
    case 'stalled':
      return new OutageError(`the Messages API stream stalled: no data for ${options.idleTimeoutSec}s (llm.idleTimeoutSec)${options.streamRetries ? `, ${options.streamRetries + 1} times` : ''}`);
    case 'overtime':
      // Not retried: another try would take as long again.
      return new OutageError(`the Messages API did not finish its answer within ${options.timeoutSec}s (llm.timeoutSec)`);
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
