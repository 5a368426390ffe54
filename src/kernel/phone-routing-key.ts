/**
 * The identity of a phone number for routing: two spellings that reach the same line have one
 * key, so one project holds it. An E.164 number is its own key. A SIP identifier loses its
 * `sip:`/`sips:` scheme and its port, and its domain is lowercased (domains are case-insensitive;
 * the user part is not, RFC 3261 §19.1.4). The migration that introduced the key computed it
 * with this function, so a change here needs a migration that recomputes stored keys.
 */
export function phoneRoutingKey(number: string): string {
  const trimmed = number.trim();
  const sip = /^(?:sips?:)?([^@\s:]+)@([^:]+)(?::\d{1,5})?$/.exec(trimmed);
  if (sip === null) return trimmed;
  return `${sip[1]}@${(sip[2] as string).toLowerCase()}`;
}
