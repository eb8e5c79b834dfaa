import { describe, expect, it } from 'vitest';
import { createTOTPKeyURI } from './key-uri.js';

describe('createTOTPKeyURI', () => {
  const base = {
    secret: 'JBSWY3DPEHPK3PXP',
    algorithm: 'SHA1' as const,
    digits: 6 as const,
    periodInSeconds: 30,
  };

  it('builds the Key Uri Format with issuer prefix and parameters', () => {
    const uri = createTOTPKeyURI({ ...base, issuer: 'Example', accountName: 'alice@example.com' });
    expect(uri).toBe(
      'otpauth://totp/Example:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('percent-encodes spaces as %20 and reserved characters in both issuer and account', () => {
    const uri = createTOTPKeyURI({
      ...base,
      issuer: 'Clarus WMS & Co',
      accountName: "o'neil+test@example.com",
      algorithm: 'SHA256',
      digits: 8,
      periodInSeconds: 60,
    });
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(uri.startsWith('otpauth://totp/Clarus%20WMS%20%26%20Co:o%27neil%2Btest%40example.com?')).toBe(
      true,
    );
    expect(url.searchParams.get('issuer')).toBe('Clarus WMS & Co');
    expect(url.searchParams.get('algorithm')).toBe('SHA256');
    expect(url.searchParams.get('digits')).toBe('8');
    expect(url.searchParams.get('period')).toBe('60');
    expect(uri).not.toContain('+');
  });

  it('encodes a colon inside the account so the label splits at the issuer only', () => {
    const uri = createTOTPKeyURI({ ...base, issuer: 'Acme', accountName: 'a:b' });
    expect(uri).toContain('/Acme:a%3Ab?');
  });

  it('strips base32 padding from the secret', () => {
    const uri = createTOTPKeyURI({ ...base, secret: 'MZXW6YQ=', issuer: 'Acme', accountName: 'x' });
    expect(new URL(uri).searchParams.get('secret')).toBe('MZXW6YQ');
  });
});
