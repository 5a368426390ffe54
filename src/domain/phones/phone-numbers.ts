/**
 * Phone numbers as Diga takes them: E.164 (`+` and up to 15 digits, no leading zero in the
 * country code). Diga calls Spanish numbers only (+34 and nine digits); a project's
 * configuration may allow other calling codes.
 */
const E164 = /^\+[1-9]\d{1,14}$/;
const SPANISH = /^\+34[5-9]\d{8}$/;
/** A SIP user identifier, `user@domain`, with or without the `sip:` scheme. */
const SIP_IDENTIFIER = /^(?:sips?:)?[^@\s:]+@[A-Za-z0-9.-]+(?::\d{1,5})?$/;

export const SPAIN = '34';

export function isE164(value: string): boolean {
  return E164.test(value);
}

export function isSipIdentifier(value: string): boolean {
  return SIP_IDENTIFIER.test(value);
}

export type DialCheck = 'ok' | 'not_e164' | 'country_not_allowed';

/** Whether a call may be placed to `number`, for a project that allows these calling codes. */
export function checkDestination(number: string, allowedCodes: readonly string[]): DialCheck {
  if (!isE164(number)) return 'not_e164';
  if (number.startsWith(`+${SPAIN}`)) return SPANISH.test(number) ? 'ok' : 'not_e164';
  return allowedCodes.some((code) => code !== SPAIN && number.startsWith(`+${code}`)) ? 'ok' : 'country_not_allowed';
}
