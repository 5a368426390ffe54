import { callErrors } from './errors.js';

export interface StreamLimits {
  /** Streams one API key may hold open at once. */
  perKey: number;
  /** Streams all the keys of one project may hold open at once. */
  perProject: number;
}

/**
 * The concurrency streams open in this process, counted per key and per project: each holds a
 * connection and a listener for as long as its client likes, so one tenant opening hundreds
 * would take them from everyone else. Per process: with several processes, each allows as many.
 */
export class StreamSlots {
  private readonly byKey = new Map<string, number>();
  private readonly byProject = new Map<string, number>();

  constructor(readonly limits: StreamLimits) {}

  /** Takes a slot for a stream, or throws 429 TOO_MANY_STREAMS; returns its release (idempotent). */
  acquire(keyId: string, projectId: string): () => void {
    if ((this.byKey.get(keyId) ?? 0) >= this.limits.perKey) throw callErrors.tooManyStreams('key', this.limits.perKey);
    if ((this.byProject.get(projectId) ?? 0) >= this.limits.perProject) {
      throw callErrors.tooManyStreams('project', this.limits.perProject);
    }
    add(this.byKey, keyId, 1);
    add(this.byProject, projectId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.byKey, keyId, -1);
      add(this.byProject, projectId, -1);
    };
  }
}

function add(counts: Map<string, number>, id: string, delta: number): void {
  const next = (counts.get(id) ?? 0) + delta;
  if (next <= 0) counts.delete(id);
  else counts.set(id, next);
}
