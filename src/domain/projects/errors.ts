import { ApiError } from '../../kernel/errors.js';

/** Every error the projects resource answers with. */
export const projectErrors = {
  notFound: (projectId: string) => new ApiError(404, 'PROJECT_NOT_FOUND', `Project with id ${projectId} not found`),
} as const;
