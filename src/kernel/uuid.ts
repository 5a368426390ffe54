import { randomUUID } from 'node:crypto';

/**
 * UUID parsing with the exact acceptance rules and error texts of pydantic v2 in lax mode,
 * which delegates to the Rust `uuid` crate: simple (32 hex), hyphenated (36), braced `{…}`
 * and `urn:uuid:` forms, hex in any case. Clients of the original service see these messages
 * in 422 bodies, so they are reproduced to the character.
 */
export type UuidParseResult = { ok: true; uuid: string } | { ok: false; error: string };

const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SIMPLE = /^[0-9a-fA-F]{32}$/;
const URN_PREFIX = 'urn:uuid:';

export function newId(): string {
  return randomUUID();
}

export function parseUuid(input: string): UuidParseResult {
  const uuid = tryParse(input);
  return uuid === undefined ? { ok: false, error: describeUuidError(input) } : { ok: true, uuid };
}

/** The canonical (lowercase, hyphenated) form, or undefined when the input is not a UUID. */
export function canonicalUuid(input: string): string | undefined {
  return tryParse(input);
}

function tryParse(input: string): string | undefined {
  let body: string;
  switch (input.length) {
    case 32:
      if (!SIMPLE.test(input)) return undefined;
      return hyphenate(input.toLowerCase());
    case 36:
      body = input;
      break;
    case 38:
      if (input[0] !== '{' || input[37] !== '}') return undefined;
      body = input.slice(1, 37);
      break;
    case 45:
      if (!input.startsWith(URN_PREFIX)) return undefined;
      body = input.slice(URN_PREFIX.length);
      break;
    default:
      return undefined;
  }
  return HYPHENATED.test(body) ? body.toLowerCase() : undefined;
}

function hyphenate(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const GROUP_STARTS = [0, 9, 14, 19, 24] as const;
const GROUP_LENGTHS = [8, 4, 4, 4, 12] as const;

/**
 * The diagnostic of uuid's `InvalidUuid::into_err`, including its quirks: positions are
 * 1-based UTF-8 byte offsets into the whole input, and a too-long last group is measured
 * against the whole input's length.
 */
function describeUuidError(input: string): string {
  const bytes = Buffer.from(input, 'utf8');
  let offset = 0;
  let simple = true;
  let start = 0;
  let end = bytes.length;
  if (bytes.length >= 2 && bytes[0] === 0x7b && bytes[bytes.length - 1] === 0x7d) {
    start = 1;
    end = bytes.length - 1;
    offset = 1;
    simple = false;
  } else if (input.startsWith(URN_PREFIX)) {
    start = URN_PREFIX.length;
    offset = URN_PREFIX.length;
    simple = false;
  }

  let hyphens = 0;
  const hyphenAt: number[] = [];
  let index = 0;
  for (const character of new TextDecoder().decode(bytes.subarray(start, end))) {
    const width = Buffer.byteLength(character, 'utf8');
    if (width > 1 || !/^[0-9a-fA-F-]$/.test(character)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${character}\` at ${index + offset + 1}`;
    }
    if (character === '-') {
      if (hyphens < 4) hyphenAt.push(index);
      hyphens += 1;
    }
    index += width;
  }

  if (hyphens === 0 && simple) {
    return `invalid length: expected length 32 for simple format, found ${bytes.length}`;
  }
  if (hyphens !== 4) {
    return `invalid group count: expected 5, found ${hyphens + 1}`;
  }
  for (let group = 0; group < 4; group += 1) {
    const boundary = hyphenAt[group] as number;
    const groupStart = GROUP_STARTS[group] as number;
    if (boundary !== (GROUP_STARTS[group + 1] as number) - 1) {
      return `invalid group length in group ${group}: expected ${GROUP_LENGTHS[group]}, found ${boundary - groupStart}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${bytes.length - GROUP_STARTS[4]}`;
}
