/**
 * A log destination that keeps every line written to it: hand `logger` to the app (Fastify's
 * `logger` option), or `stream` to pino.
 */
export class CapturedLog {
  /** Every line, as written (without its newline). */
  readonly raw: string[] = [];
  readonly stream = {
    write: (chunk: string): void => {
      for (const line of chunk.split('\n')) if (line) this.raw.push(line);
    },
  };

  constructor(readonly level: string = 'info') {}

  get logger(): { level: string; stream: { write(chunk: string): void } } {
    return { level: this.level, stream: this.stream };
  }

  /** Every line, parsed. */
  get records(): Record<string, unknown>[] {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  clear(): void {
    this.raw.length = 0;
  }
}
