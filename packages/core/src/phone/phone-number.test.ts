import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCallingCode } from './calling-codes.js';
import { maskPhoneNumber, parsePhoneNumber } from './phone-number.js';

describe('parsePhoneNumber', () => {
  it.each([
    ['+14155550100', '+14155550100', '1', '+1 ••• ••• 0100'],
    ['+1 (415) 555-0100', '+14155550100', '1', '+1 ••• ••• 0100'],
    ['+44 7700 900123', '+447700900123', '44', '+44 ••• ••• 0123'],
    ['+44.7700.900.123', '+447700900123', '44', '+44 ••• ••• 0123'],
    ['+380 44 123 4567', '+380441234567', '380', '+380 ••• •• 4567'],
    ['+7 912 345-67-89', '+79123456789', '7', '+7 ••• ••• 6789'],
    ['+49 30 123456', '+4930123456', '49', '+49 ••• • 3456'],
    ['+353 1 234 5678', '+35312345678', '353', '+353 ••• • 5678'],
    ['  +61 491 570 156  ', '+61491570156', '61', '+61 ••• •• 0156'],
  ])('parses %j', (input, e164, callingCode, masked) => {
    expect(parsePhoneNumber(input)).toEqual({ e164, callingCode, masked });
  });

  it.each<[string, unknown]>([
    ['no +', '14155550100'],
    ['00 international prefix', '0014155550100'],
    ['a leading 0 after +', '+04155550100'],
    ['7 digits', '+1415555'],
    ['16 digits', '+1415555010012345'],
    ['letters', '+1415555CALL'],
    ['an extension', '+14155550100 ext 12'],
    ['a second +', '+1+4155550100'],
    ['a slash', '+1/4155550100'],
    ['unicode digits', '+\u0661\u0664\u0661\u0665\u0665\u0665\u0665\u0660\u0661\u0660\u0660'],
    ['fullwidth digits', '+１４１５５５５０１００'],
    ['an unassigned calling code (+999)', '+9991234567890'],
    ['a spare calling code (+28x)', '+2801234567890'],
    ['a 10 kB string', `+1${'5'.repeat(10_000)}`],
    ['a number', 14155550100],
    ['null', null],
    ['only +', '+'],
  ])('rejects %s', (_label, input) => {
    expect(parsePhoneNumber(input)).toBeNull();
  });

  it('never throws; accepted numbers are E.164 and the mask shows only the calling code and last 4 digits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+[1-9][0-9 ().-]{7,20}$/)), (input) => {
        const parsed = parsePhoneNumber(input);
        if (parsed === null) return;
        expect(parsed.e164).toMatch(/^\+[1-9]\d{7,14}$/);
        expect(parsed.e164.startsWith(`+${parsed.callingCode}`)).toBe(true);
        const visibleDigits = parsed.masked.replace(/\D/g, '');
        expect(visibleDigits).toBe(parsed.callingCode + parsed.e164.slice(-4));
      }),
    );
  });
});

describe('findCallingCode', () => {
  it('reads 1-, 2- and 3-digit codes without confusing prefixes', () => {
    expect(findCallingCode('14155550100')).toBe('1');
    expect(findCallingCode('79123456789')).toBe('7');
    expect(findCallingCode('447700900123')).toBe('44');
    expect(findCallingCode('380441234567')).toBe('380');
    expect(findCallingCode('35312345678')).toBe('353');
    expect(findCallingCode('8613812345678')).toBe('86');
    expect(findCallingCode('8521234567')).toBe('852');
    expect(findCallingCode('2123456789')).toBe('212');
  });

  it('returns null for unassigned codes', () => {
    expect(findCallingCode('2101234567')).toBeNull();
    expect(findCallingCode('999123456')).toBeNull();
  });
});

describe('maskPhoneNumber', () => {
  it('masks valid numbers and never echoes invalid input', () => {
    expect(maskPhoneNumber('+14155550100')).toBe('+1 ••• ••• 0100');
    expect(maskPhoneNumber('4155550100')).toBe('+••• ••• ••••');
    expect(maskPhoneNumber('+9991234567890')).not.toContain('1234567890');
  });
});
