type Encryption = 'disable' | 'allow' | 'require';

/** The trunk as imported; the password never leaves the service except in a dial job. */
export interface SipConfig {
  termination_uri: string | null;
  username: string | null;
  password: string | null;
  inbound_media_encryption: Encryption;
  outbound_media_encryption: Encryption;
  allowed_addresses: string[] | null;
}
