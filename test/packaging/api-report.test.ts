// Issue 11: every change of a package's public surface shows in a diff of its
// committed api-report.md. On failure: `npm run api:update`, review the diff,
// commit it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_FILE, buildApiReports } from './api-report.js';

describe('API reports', () => {
  it('match the public entries of every package (regenerate with `npm run api:update`)', () => {
    const reports = buildApiReports();
    expect([...reports.keys()].sort()).toEqual([
      '@mfa-kit/core',
      '@mfa-kit/express',
      '@mfa-kit/testing',
      '@mfa-kit/twilio-sms',
      '@mfa-kit/webauthn',
    ]);
    for (const [pkg, { dir, text }] of reports) {
      expect(text).not.toMatch(/declaration not found|no declaration emitted/);
      const committed = readFileSync(join(dir, REPORT_FILE), 'utf8');
      expect(committed, `${pkg}: run \`npm run api:update\` and commit the report`).toBe(text);
    }
  }, 240_000);
});
