import type { MfaEvent } from '@mfa-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, eventCsvRow } from './csv.js';

/** A minimal RFC 4180 parser for one record, to check what a spreadsheet would read back. */
function parseRecord(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) throw new Error('unterminated quote');
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      cells.push(value);
      i += 1; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['line\nbreak', '"line\nbreak"'],
  ])('%j → %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('writes empty cells for null and undefined', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips any text through an RFC 4180 reader, never starting a cell with a formula character', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 6 }),
        (values) => {
          const line = values.map(csvCell).join(',');
          const read = parseRecord(line);
          expect(read).toHaveLength(values.length);
          read.forEach((cell, i) => {
            expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
            const original = values[i] as string;
            expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          });
        },
      ),
    );
  });
});

describe('eventCsvRow', () => {
  it('writes one CRLF-terminated record with an ISO time and the details as JSON', () => {
    const event: MfaEvent = {
      id: '1-0',
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      type: 'ADMIN_RESET',
      userId: '-1',
      orgId: null,
      ip: null,
      userAgent: null,
      actor: { kind: 'cli', id: 'cli', osUser: 'ops' },
      details: { reason: 'a, "b"' },
    };
    const row = eventCsvRow(event, 'MFA reset by the CLI (run by ops) (reason: a, "b")');
    expect(row.endsWith('\r\n')).toBe(true);
    expect(parseRecord(row.slice(0, -2))).toEqual([
      '1-0',
      '2026-01-02T03:04:05.000Z',
      'ADMIN_RESET',
      "'-1",
      '',
      'cli',
      'cli',
      'ops',
      '',
      '',
      '{"reason":"a, \\"b\\""}',
      'MFA reset by the CLI (run by ops) (reason: a, "b")',
    ]);
  });
});
