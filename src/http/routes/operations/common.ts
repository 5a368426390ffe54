import { Type } from '@sinclair/typebox';

export const operationsCommon = { tags: ['Operations'] };

/** What a probe answers when all is well. */
export const probeStatus = Type.Object({ status: Type.String() });
