import type { Grant } from './permissions.js';

/** Who is calling the public API: one project, and what its key may do there. */
export interface Principal extends Grant {
  projectId: string;
  keyId: string;
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
