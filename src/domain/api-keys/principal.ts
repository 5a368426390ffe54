import type { Grant } from './permissions.js';

/** Who is calling the public API: one project, and what its key may do there. */
export interface Principal extends Grant {
  projectId: string;
  keyId: string;
}
