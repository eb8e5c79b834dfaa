import type { AdminUserView, UserDirectory as AdminUserDirectory } from '@mfa-kit/express';
import type { AppUser, UserDirectory } from './users.js';

function view(user: AppUser): AdminUserView {
  return { id: user.id, name: user.name, email: user.email, orgId: user.orgId, roles: user.roles };
}

/** The app's users as mfa-kit's admin router reads (and, for roles, writes) them (the app owns its users). */
export function createAdminDirectory(users: UserDirectory): AdminUserDirectory {
  return {
    findById: async (id) => {
      const user = users.findById(id);
      return user === null ? null : view(user);
    },
    search: async ({ text, orgId, limit, cursor }) => {
      const all = users
        .search(text)
        .filter((u) => orgId === undefined || orgId === null || u.orgId === orgId);
      const start = cursor === undefined ? 0 : Math.max(0, Number.parseInt(cursor, 10) || 0);
      const page = all.slice(start, start + limit);
      return { users: page.map(view), nextCursor: start + limit < all.length ? String(start + limit) : null };
    },
    // Seed 003: the admin router's "change role" writes the app's own user record.
    setRoles: async (id, roles) => {
      users.setRoles(id, roles);
    },
  };
}
