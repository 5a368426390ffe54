import pino from 'pino';

/** What the lines go to: a synchronous destination (pino.destination with `sync: true`). */
export interface LineDestination {
  write(chunk: string): unknown;
  flushSync(): void;
}

/**
 * A log stream that writes the lines of one event-loop turn together, with one synchronous
 * write when the turn ends (setImmediate). Under load a turn answers many requests, and one
 * write(2) per turn replaces one asynchronous write per line or two, each a round trip through
 * libuv's thread pool (docs/BENCHMARKS.md, "Log writes once per event-loop turn"). A line waits at
 * most until the end of its turn, never for more traffic, so an idle server's log is as current
 * as with per-line writes. The write is synchronous, as pino's default destination is: a reader
 * that stops reading stdout eventually stalls the server rather than growing its memory.
 */
export class TurnBufferedStream {
  private pending = '';

  constructor(private readonly destination: LineDestination) {}

  write(line: string): boolean {
    if (this.pending === '') setImmediate(this.flushPending);
    this.pending += line;
    return true;
  }

  /** Writes what is pending now (pino's logger.flush, and the process's exit). */
  flushSync(): void {
    this.flushPending();
    this.destination.flushSync();
  }

  flush(callback?: (error?: Error) => void): void {
    try {
      this.flushSync();
    } catch (error) {
      callback?.(error as Error);
      return;
    }
    callback?.();
  }

  private readonly flushPending = (): void => {
    if (this.pending === '') return;
    const lines = this.pending;
    this.pending = '';
    this.destination.write(lines);
  };
}

let stdoutStream: TurnBufferedStream | undefined;

/**
 * The server's log on standard output: one stream per process, whose pending lines are written
 * when the process exits (main.ts ends with process.exit, which runs no further turn).
 */
export function stdoutLog(): TurnBufferedStream {
  if (stdoutStream === undefined) {
    const stream = new TurnBufferedStream(pino.destination({ dest: 1, sync: true }));
    process.once('exit', () => stream.flushSync());
    stdoutStream = stream;
  }
  return stdoutStream;
}
