/** A command line that does not say something runnable: exit status 2, with a hint to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}
