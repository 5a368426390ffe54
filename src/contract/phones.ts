import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/** The phone schemas of spec/diga-openapi-subset.json that importing and binding need. */
const Encryption = StringEnum(['disable', 'allow', 'require'], { title: 'SipMediaEncryption' });
export const PhoneRegisterStatusSchema = StringEnum(
  ['reserved', 'pending_verification', 'assigned', 'released', 'finished'],
  { $id: 'PhoneRegisterStatus', title: 'PhoneRegisterStatus' },
);
const nullableUuid = (title: string) => Nullable(Type.String({ format: 'uuid' }), { title });
const nullableDateTime = (title: string) => Nullable(Type.String({ format: 'date-time' }), { title });
const nullableText = (title: string) => Nullable(Type.String(), { title });

export const ImportPhoneRequestSchema = Type.Object(
  {
    phone_number: Type.String({ minLength: 1, title: 'Phone Number' }),
    nickname: Type.Optional(nullableText('Alias')),
    inbound_config: Type.Optional(
      Nullable(
        Type.Object(
          {
            media_encryption: Type.Optional(Encryption),
            allowed_addresses: Type.Optional(Nullable(Type.Array(Type.String()), { title: 'Allowed Addresses' })),
          },
          { title: 'InboundConfigSchema' },
        ),
        { title: 'Inbound Configuration' },
      ),
    ),
    outbound_config: Type.Optional(
      Nullable(
        Type.Object(
          {
            termination_uri: Type.String({ title: 'Termination URI' }),
            username: Type.Optional(nullableText('SIP Auth Username')),
            password: Type.Optional(nullableText('SIP Auth Password')),
            media_encryption: Type.Optional(Encryption),
          },
          { title: 'OutboundConfigSchema' },
        ),
        { title: 'Outbound Configuration' },
      ),
    ),
  },
  { title: 'PostImportPhoneNumberRequestSchema' },
);

export const PhoneUpdateRequestSchema = Type.Object(
  {
    nickname: Type.Optional(nullableText('Nickname')),
    inbound_version_id: Type.Optional(nullableUuid('Inbound Agent ID')),
    outbound_version_id: Type.Optional(nullableUuid('Outbound Agent ID')),
  },
  { title: 'PhoneUpdateRequestSchema' },
);

export const PhoneRegisterResponseSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', title: 'Phone Register ID' }),
    nickname: nullableText('Nickname'),
    number: Type.String({ title: 'Phone Number' }),
    telephony_provider: StringEnum(['netelip', 'custom'], { title: 'TelephonyProvider' }),
    status: Type.Ref(PhoneRegisterStatusSchema),
    released_at: nullableDateTime('Released At'),
    scheduled_release_at: nullableDateTime('Scheduled Release At'),
    assigned_at: nullableDateTime('Assigned At'),
    inbound_agent_id: nullableUuid('Inbound Agent ID'),
    outbound_agent_id: nullableUuid('Outbound Agent ID'),
    sip_config: Nullable(
      Type.Object(
        {
          termination_uri: nullableText('Termination URI'),
          username: nullableText('SIP Auth Username'),
          inbound_media_encryption: Encryption,
          outbound_media_encryption: Encryption,
          allowed_addresses: Nullable(Type.Array(Type.String()), { title: 'Allowed Addresses' }),
        },
        { title: 'SipConfigResponseSchema' },
      ),
      { title: 'SIP Configuration' },
    ),
    checkout_url: nullableText('Checkout URL'),
    reservation_expires_at: nullableDateTime('Reservation Expires At'),
    region_codes: Type.Array(Type.String(), { title: 'Region Codes' }),
  },
  { $id: 'PhoneRegisterResponseSchema', title: 'PhoneRegisterResponseSchema' },
);

export const PaginatedPhonesSchema = paginated(PhoneRegisterResponseSchema, 'PhoneRegisterResponseSchema');
export const phoneSchemas = [PhoneRegisterStatusSchema, PhoneRegisterResponseSchema, PaginatedPhonesSchema];
