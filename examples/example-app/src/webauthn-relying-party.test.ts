import { describe, expect, it } from 'vitest';
import { webauthnRelyingParty } from './app.js';

describe('the example’s passkey relying party', () => {
  it('is the first https or localhost origin with a domain, with every origin on that domain', () => {
    expect(webauthnRelyingParty(['http://127.0.0.1:3000', 'http://localhost:3000'])).toEqual({
      rpId: 'localhost',
      origins: ['http://localhost:3000'],
    });
    expect(
      webauthnRelyingParty(['https://example.com', 'https://app.example.com', 'https://other.test']),
    ).toEqual({ rpId: 'example.com', origins: ['https://example.com', 'https://app.example.com'] });
  });

  it('is none for IP addresses and plain-http domains (browsers offer no WebAuthn there)', () => {
    expect(
      webauthnRelyingParty(['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://example.test']),
    ).toBeNull();
  });
});
