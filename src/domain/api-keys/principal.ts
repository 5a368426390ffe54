import type { Micros } from '../../kernel/time.js';
import type { Grant } from './permissions.js';

/** Who is calling the public API: one project, what its key may do there, and until when. */
export interface Principal extends Grant {
  projectId: string;
  keyId: string;
  /** When the calling key expires; null: never. No key it makes or changes may outlive it. */
  expiresAt: Micros | null;
}

/**
 * The operator (the CLI, the first start): bound by no key's permissions. It revokes any key by
 * its id, whatever its project.
 */
export interface Operator {
  operator: true;
}

/** The operator acting in one project: issuing a key there. */
export interface ProjectOperator extends Operator {
  projectId: string;
}

export const operator: Operator = { operator: true };

export const operatorIn = (projectId: string): ProjectOperator => ({ operator: true, projectId });
