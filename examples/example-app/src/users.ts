import { createHash, timingSafeEqual } from 'node:crypto';
import type { MfaUser } from '@mfa-kit/core';

/** A user of the example app. The app owns its users; mfa-kit only sees {@link toMfaUser}. */
export interface AppUser {
  id: string;
  username: string;
  name: string;
  email: string;
  orgId: string;
  roles: string[];
}

/** The example's user database: in memory, seeded, with one shared demo password. */
export interface UserDirectory {
  readonly demoPassword: string;
  all(): AppUser[];
  findById(id: string): AppUser | null;
  findByUsername(username: string): AppUser | null;
  /** By username or e-mail (what a locked-out user types on the unlock page). */
  findByIdentifier(identifier: string): AppUser | null;
  /** Case-insensitive search over username, name and email. */
  search(text: string): AppUser[];
  /** Replaces the user's roles (the admin's "Change role", seed 003); false for an unknown user. */
  setRoles(id: string, roles: readonly string[]): boolean;
  /** Constant-time password check (hash both sides so lengths match). */
  checkPassword(user: AppUser, password: unknown): boolean;
}

/** The seeded users; see the README for which seed each one demonstrates. */
export const SEEDED_USERS: readonly AppUser[] = [
  {
    id: 'u1',
    username: 'alice',
    name: 'Alice Admin',
    email: 'alice@acme.test',
    orgId: 'acme',
    roles: ['admin'],
  },
  { id: 'u2', username: 'bob', name: 'Bob User', email: 'bob@acme.test', orgId: 'acme', roles: ['user'] },
  {
    id: 'u3',
    username: 'carol',
    name: 'Carol Globex',
    email: 'carol@globex.test',
    orgId: 'globex',
    roles: ['user'],
  },
  {
    id: 'u4',
    username: 'dave',
    name: 'Dave Globex Admin',
    email: 'dave@globex.test',
    orgId: 'globex',
    roles: ['admin'],
  },
  {
    id: 'u5',
    username: 'erin',
    name: 'Erin Support',
    email: 'erin@acme.test',
    orgId: 'acme',
    roles: ['support'],
  },
  {
    id: 'u6',
    username: 'frank',
    name: 'Frank User',
    email: 'frank@acme.test',
    orgId: 'acme',
    roles: ['user'],
  },
  {
    id: 'u7',
    username: 'owen',
    name: 'Owen Owner',
    email: 'owen@acme.test',
    orgId: 'acme',
    roles: ['owner'],
  },
];

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Builds the directory from `seed` (default: the seeded users); every user has `password`. */
export function createUserDirectory(
  password: string,
  seed: readonly AppUser[] = SEEDED_USERS,
): UserDirectory {
  const users = seed.map((u) => ({ ...u, roles: [...u.roles] }));
  const expected = digest(password);
  return {
    demoPassword: password,
    all: () => users,
    findById: (id) => users.find((u) => u.id === id) ?? null,
    findByUsername: (username) => users.find((u) => u.username === username.trim().toLowerCase()) ?? null,
    findByIdentifier: (identifier) => {
      const needle = identifier.trim().toLowerCase();
      return users.find((u) => u.username === needle || u.email === needle) ?? null;
    },
    search: (text) => {
      const needle = text.trim().toLowerCase();
      if (needle === '') return users;
      return users.filter((u) => [u.username, u.name, u.email].some((f) => f.toLowerCase().includes(needle)));
    },
    setRoles: (id, roles) => {
      const user = users.find((u) => u.id === id);
      if (user === undefined) return false;
      user.roles = [...roles];
      return true;
    },
    checkPassword: (_user, candidate) =>
      typeof candidate === 'string' && timingSafeEqual(digest(candidate), expected),
  };
}

/** What mfa-kit needs to know about a user: id, organisation, roles, authenticator label. */
export function toMfaUser(user: AppUser): MfaUser {
  return { id: user.id, orgId: user.orgId, roles: user.roles, label: user.email };
}
