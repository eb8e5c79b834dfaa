/** Escapes text for HTML element content and quoted attribute values (OWASP XSS rule #1 and #2). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Markup that is already safe; produced only by {@link html} and {@link raw}. */
export interface SafeHtml {
  readonly __html: string;
}

/** Marks trusted, already-escaped markup (e.g. a QR-code data URL we generated). */
export function raw(markup: string): SafeHtml {
  return { __html: markup };
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && value !== null && '__html' in value) return String(value.__html);
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/**
 * Tagged template that escapes every interpolated value unless it is {@link SafeHtml}
 * (arrays are joined), so a page can't forget to escape a user name or a log entry.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return raw(out);
}
