import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractCode } from '../../../test/fakes/twilio-server.js';
import { formatSmsMessage } from './format-sms-message.js';

describe('formatSmsMessage', () => {
  it('names the app and the code', () => {
    expect(formatSmsMessage({ appName: 'Clarus WMS', code: '123456' })).toBe(
      'Clarus WMS: your verification code is 123456',
    );
  });

  it('ends with the origin-bound line @domain #code (WICG) when originDomain is set', () => {
    const text = formatSmsMessage({ appName: 'Acme', code: '042424', originDomain: 'Login.Example.com' });
    expect(text).toBe('Acme: your verification code is 042424\n\n@login.example.com #042424');
    expect(text.split('\n').at(-1)).toBe('@login.example.com #042424');
  });

  it('collapses newlines in the app name so nothing can precede-spoof the origin line', () => {
    const text = formatSmsMessage({
      appName: 'Evil\n@bank.example #1',
      code: '999999',
      originDomain: 'acme.test',
    });
    expect(text.split('\n').filter((line) => line.startsWith('@'))).toEqual(['@acme.test #999999']);
  });

  it('rejects a domain with a scheme, port or path, and a code with whitespace', () => {
    for (const originDomain of ['https://acme.test', 'acme.test:443', 'acme.test/login', 'acme test', '']) {
      expect(() => formatSmsMessage({ appName: 'A', code: '123456', originDomain })).toThrowError(
        expect.objectContaining({ code: 'VALIDATION' }),
      );
    }
    expect(() => formatSmsMessage({ appName: 'A', code: '12 34' })).toThrowError(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
  });

  it('round-trips: the fake server extracts exactly the code that was formatted', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.stringMatching(/^\d{6,8}$/),
        fc.option(fc.constantFrom('acme.test', 'login.example.com'), { nil: undefined }),
        (appName, code, originDomain) => {
          expect(extractCode(formatSmsMessage({ appName, code, originDomain }))).toBe(code);
        },
      ),
    );
  });
});
