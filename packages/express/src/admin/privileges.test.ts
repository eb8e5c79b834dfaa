import { describe, expect, it } from 'vitest';
import { ACTION_PRIVILEGES, DEFAULT_PRIVILEGES, resolvePrivileges } from './privileges.js';

describe('resolvePrivileges', () => {
  it('grants the admin role every action privilege by default (seed 000), but not cross-org scope', () => {
    expect(resolvePrivileges(['admin'], DEFAULT_PRIVILEGES)).toEqual([...ACTION_PRIVILEGES]);
    expect(resolvePrivileges(['admin'], DEFAULT_PRIVILEGES)).not.toContain('mfa:all-orgs');
  });

  it('unions the privileges of several roles in a stable order', () => {
    const map = { auditor: ['mfa:logs', 'mfa:read'], helpdesk: ['mfa:lock', 'mfa:read'] } as const;
    expect(resolvePrivileges(['helpdesk', 'auditor'], map)).toEqual(['mfa:read', 'mfa:lock', 'mfa:logs']);
  });

  it('grants nothing for unknown roles or prototype property names', () => {
    for (const role of ['staff', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(resolvePrivileges([role], DEFAULT_PRIVILEGES)).toEqual([]);
    }
    expect(resolvePrivileges([], DEFAULT_PRIVILEGES)).toEqual([]);
  });
});
