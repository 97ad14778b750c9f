/** An error that ends a run before it started, with the CLI's exit code (2 usage/policy, 3 cannot run). */
export class LoopError extends Error {
  constructor(message: string, readonly exitCode: 2 | 3) {
    super(message);
    this.name = 'LoopError';
  }
}
