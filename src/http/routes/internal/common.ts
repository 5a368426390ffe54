/** The tag and credential of the runtime's operations. */
export const runtimeCommon = { tags: ['Internal: voice runtime'], security: [{ RuntimeToken: [] }] };
