import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canonicalUuid, parseUuid } from '../../src/kernel/uuid.js';
import {
  EARLIEST_INSTANT,
  EARLIEST_INSTANT_TEXT,
  LATEST_INSTANT,
  LATEST_INSTANT_TEXT,
  formatInstant,
  parseAnyInstant,
  parseInstant,
  readInstant,
} from '../../src/kernel/time.js';
import { CredentialCache } from '../../src/domain/api-keys/credential-cache.js';

describe('pydantic-compatible UUID parsing', () => {
  test('accepts every form the uuid crate does, in any case', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (uuid, upper) => {
        const id = upper ? uuid.toUpperCase() : uuid;
        const hex = id.replaceAll('-', '');
        for (const form of [id, hex, `{${id}}`, `urn:uuid:${id}`])
          assert.equal(canonicalUuid(form), uuid.toLowerCase(), form);
      }),
    );
  });

  test("rejects near misses with the uuid crate's diagnostics", () => {
    const cases: [string, string][] = [
      ['', 'invalid length: expected length 32 for simple format, found 0'],
      ['!', 'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `!` at 1'],
      ['F9168C5E-CEB2-4faa-B6BF-329BF39FA1E45', 'invalid group length in group 4: expected 12, found 13'],
      ['F9168C5E-CEB2-4faa-BBF-329BF39FA1E4', 'invalid group length in group 3: expected 4, found 3'],
      [
        'F9168C5E-CEB2-4faa-BGBF-329BF39FA1E4',
        'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `G` at 21',
      ],
      ['F9168C5E-CEB2F4faaFB6BFF329BF39FA1E4', 'invalid group count: expected 5, found 2'],
      ['67e550-4105b1426f9247bb680e5fe0c', 'invalid group count: expected 5, found 2'],
      ['67e550-4105-b142-6f92-47bb680e5fe0c', 'invalid group length in group 0: expected 8, found 6'],
      ['{00000000000000000000000000000000}', 'invalid group count: expected 5, found 1'],
      [
        '67e5504410b1426%9247bb680e5fe0c8',
        'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%` at 16',
      ],
      [
        'ñ67e5504410b1426f9247bb680e5fe0c',
        'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `ñ` at 1',
      ],
      [
        '67e5504410b1426f9247bb680e5fe0cé',
        'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 32',
      ],
      ['urn:uuid:', 'invalid group count: expected 5, found 1'],
    ];
    for (const [input, error] of cases) assert.deepEqual(parseUuid(input), { ok: false, error }, input);
  });
});

describe('instants', () => {
  test('render as pydantic renders aware UTC datetimes', () => {
    assert.equal(formatInstant(parseInstant('2026-11-20T10:00:00Z') as number), '2026-11-20T10:00:00Z');
    assert.equal(formatInstant(parseInstant('2026-11-20T10:00:00.5Z') as number), '2026-11-20T10:00:00.500000Z');
    assert.equal(
      formatInstant(parseInstant('2026-11-20T11:00:00.123456789+01:00') as number),
      '2026-11-20T10:00:00.123456Z',
    );
    assert.equal(formatInstant(parseInstant('1969-12-31T23:59:59.999999Z') as number), '1969-12-31T23:59:59.999999Z');
  });

  test('parsing rejects what is not an RFC 3339 date-time with an offset', () => {
    for (const text of [
      '2026-11-20',
      '2026-11-20T10:00:00',
      '2026-02-30T10:00:00Z',
      '2026-11-20T24:00:00Z',
      'yesterday',
      '2026-11-20T10:00:00+25:00',
    ]) {
      assert.equal(parseInstant(text), undefined, text);
    }
  });

  test('format and parse round-trip every microsecond instant of the accepted range', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_INSTANT, max: LATEST_INSTANT }), (micros) => {
        assert.equal(parseInstant(formatInstant(micros)), micros);
      }),
    );
  });

  test('the accepted range is whole microseconds a JS number holds exactly, bounds included', () => {
    assert.ok(Number.isSafeInteger(EARLIEST_INSTANT) && Number.isSafeInteger(LATEST_INSTANT));
    assert.equal(formatInstant(EARLIEST_INSTANT), EARLIEST_INSTANT_TEXT);
    assert.equal(formatInstant(LATEST_INSTANT), LATEST_INSTANT_TEXT);
    assert.equal(parseInstant('1700-01-01T00:00:00Z'), EARLIEST_INSTANT);
    assert.equal(parseInstant('2199-12-31T23:59:59.999999Z'), LATEST_INSTANT);
    assert.equal(parseInstant('2200-01-01T00:59:59.999999+01:00'), LATEST_INSTANT, 'the offset is applied first');
    assert.equal(parseInstant('1699-12-31T23:00:00-01:00'), EARLIEST_INSTANT);
  });

  test('instants outside the range are refused, saying on which side, after the offset', () => {
    for (const text of [
      '9999-12-31T23:59:59.999999Z',
      '2200-01-01T00:00:00Z',
      '2300-01-01T00:00:00.000001Z',
      '2199-12-31T23:59:59.999999-00:01',
    ]) {
      assert.deepEqual(readInstant(text), { ok: false, error: 'too_late' }, text);
      assert.equal(parseInstant(text), undefined, text);
    }
    for (const text of ['0001-01-01T00:00:00+23:59', '0001-01-01T00:00:00Z', '1699-12-31T23:59:59.999999Z']) {
      assert.deepEqual(readInstant(text), { ok: false, error: 'too_early' }, text);
    }
    assert.deepEqual(readInstant('1700-01-01T00:00:00+00:01'), { ok: false, error: 'too_early' });
    assert.deepEqual(readInstant('yesterday'), { ok: false, error: 'not_a_date_time' });
  });

  test('what a store already holds reads without a range check and never throws', () => {
    const cases: [string, string][] = [
      ['2026-11-20 10:00:04.5+00', '2026-11-20T10:00:04.500000Z'],
      ['2300-01-01 00:00:00+00', '2300-01-01T00:00:00Z'],
      ['1700-01-01 00:00:00-00:36:45', '1700-01-01T00:36:45Z'],
      ['10000-01-01 00:00:00+00', '+010000-01-01T00:00:00Z'],
      ['0001-12-31 00:00:00+00 BC', '0000-12-31T00:00:00Z'],
      ['infinity', '+275760-09-13T00:00:00Z'],
      ['-infinity', '-271821-04-20T00:00:00Z'],
    ];
    for (const [stored, shown] of cases) {
      const micros = parseAnyInstant(stored);
      assert.ok(micros !== undefined, stored);
      assert.equal(formatInstant(micros), shown, stored);
    }
    assert.equal(parseAnyInstant('not a time'), undefined);
  });
});

describe('the credential cache', () => {
  const principal = { projectId: 'p', keyId: 'k', permissions: null, expiresAt: null };

  test('another process’s commit evicts cached keys within 20 ms, asking the store at most that often', () => {
    let generation = 1;
    let asked = 0;
    const cache = new CredentialCache(1000, () => (asked++, generation));
    const ms = (n: number) => n * 1000; // instants are microseconds
    cache.set('h', principal, null, ms(0));
    for (let t = 1; t < 20; t += 1) assert.equal(cache.get('h', ms(t)), principal);
    assert.equal(asked, 1, 'one data_version read for twenty requests');
    generation = 2; // the CLI revoked a key
    assert.equal(cache.get('h', ms(19)), principal, 'not yet noticed');
    assert.equal(cache.get('h', ms(20)), undefined, 'noticed within 20 ms');
  });

  test('the first use in the last quarter of an entry’s life, and only it, claims a renewal', () => {
    const cache = new CredentialCache(1000);
    const ms = (n: number) => n * 1000;
    cache.set('h', principal, null, ms(0));
    assert.equal(cache.claimRenewal('h', ms(749)), false, 'too early');
    assert.equal(cache.claimRenewal('h', ms(750)), true);
    assert.equal(cache.claimRenewal('h', ms(760)), false, 'one renewal at a time');
    assert.equal(cache.get('h', ms(999)), principal, 'still served while it runs');
    cache.set('h', principal, null, ms(750)); // the renewal's answer, from a lookup begun at 750 ms
    assert.equal(cache.get('h', ms(1749)), principal, 'renewed: good until 1,750 ms');
    assert.equal(cache.get('h', ms(1750)), undefined, 'never beyond the TTL after its lookup began');
    assert.equal(cache.claimRenewal('missing', ms(0)), false);
  });

  test('a lookup begun before a revocation does not cache what it read', () => {
    let generation = 1;
    const cache = new CredentialCache(1000, () => generation);
    const here = cache.snapshot(0);
    cache.clear(); // a revocation in this process
    cache.set('h', principal, null, 0, here);
    assert.equal(cache.get('h', 1000), undefined);

    const other = cache.snapshot(50_000);
    generation = 2; // the CLI revoked a key while the lookup ran
    cache.set('h', principal, null, 50_000, other);
    assert.equal(cache.get('h', 80_000), undefined, 'the older read is evicted once the commit is seen');
  });

  test('entries expire with their TTL and with the key', () => {
    const cache = new CredentialCache(1000);
    cache.set('a', principal, null, 0);
    cache.set('b', principal, 500_000, 0);
    assert.equal(cache.get('a', 999_000), principal);
    assert.equal(cache.get('b', 500_000), undefined, 'the key expired');
    assert.equal(cache.get('a', 1_000_000), undefined, 'the entry is stale');
  });
});
