// A provider whose code is loaded on its first use. The TypeScript providers pull in ts-morph
// (about 1.2 s of module loading on this machine's class of hardware): a run that ends green, and
// every `fixloop status`, never needs it.
import type { Candidate, Problem } from '../model.js';
import type { PatchProvider, ProposeContext, ProviderStart, ProviderSummary } from './types.js';

export class LazyProvider implements PatchProvider {
  private loaded?: Promise<PatchProvider>;
  private started?: ProviderStart;
  private iteration?: number;

  constructor(
    readonly name: string,
    readonly deterministic: boolean,
    private readonly load: () => Promise<PatchProvider>,
  ) {}

  async *propose(problem: Problem, ctx: ProposeContext): AsyncIterable<Candidate> {
    yield* (await this.provider()).propose(problem, ctx);
  }

  // The lifecycle is remembered and replayed when the provider is loaded, so loading late is
  // the same to it as loading first.
  start(run: ProviderStart): void {
    this.started = run;
  }

  async iterationStart(iteration: number): Promise<void> {
    this.iteration = iteration;
    if (this.loaded) await (await this.loaded).iterationStart?.(iteration);
  }

  async stop(): Promise<ProviderSummary | undefined> {
    return this.loaded ? (await this.loaded).stop?.() : undefined;
  }

  private provider(): Promise<PatchProvider> {
    this.loaded ??= this.load().then(async (p) => {
      if (p.name !== this.name) throw new Error(`lazy provider "${this.name}" loaded a provider named "${p.name}"`);
      if (this.started) await p.start?.(this.started);
      if (this.iteration !== undefined) await p.iterationStart?.(this.iteration);
      return p;
    });
    return this.loaded;
  }
}
