import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value so no markup or attribute break-out survives', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped.replaceAll(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/[<>"'&]/);
        expect(html`<p title="${text}">${text}</p>`.__html).toBe(`<p title="${escaped}">${escaped}</p>`);
      }),
    );
  });

  it('joins arrays, drops null/undefined/false, and keeps trusted markup as is', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${raw('<br>')}`.__html).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li></ul><br>',
    );
  });
});
