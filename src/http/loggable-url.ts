/**
 * A request URL fit for the access log: credential-shaped values (a key pasted into a query
 * string by mistake) and recording-URL signatures are replaced, so logs never hold anything
 * that grants access.
 */
const CREDENTIAL = /\b(?:sk|rt)-[0-9a-fA-F]{64}\b/g;
const SIGNATURE = /([?&]signature=)[^&#]*/gi;

export function loggableUrl(url: string): string {
  return url.replace(CREDENTIAL, '[redacted]').replace(SIGNATURE, '$1[redacted]');
}
