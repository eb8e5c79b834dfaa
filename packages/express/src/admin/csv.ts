import type { MfaEvent } from '@mfa-kit/core';

/** Columns of the event CSV export, in order. */
export const EVENT_CSV_COLUMNS = [
  'id',
  'time',
  'type',
  'userId',
  'orgId',
  'actorKind',
  'actorId',
  'actorOsUser',
  'ip',
  'userAgent',
  'details',
  'summary',
] as const;

/**
 * One CSV cell (RFC 4180 §2): quoted when it holds a comma, quote, CR or LF,
 * with quotes doubled. Cells that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR — OWASP "CSV injection") get a
 * leading `'` so they are shown as text. Event details contain user-supplied
 * reasons and provider messages, so this matters.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record with CRLF line ending (RFC 4180 §2.1). */
export function csvRow(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The CSV record of an event. Times are ISO 8601 (UTC); `summary` is the
 * sentence the admin API and pages show (`describeEvent`).
 */
export function eventCsvRow(event: MfaEvent, summary: string): string {
  return csvRow([
    event.id,
    new Date(event.time).toISOString(),
    event.type,
    event.userId,
    event.orgId,
    event.actor?.kind,
    event.actor?.id,
    event.actor?.osUser,
    event.ip,
    event.userAgent,
    JSON.stringify(event.details),
    summary,
  ]);
}
