import type { Actor } from '@mfa-kit/core';

/** A user as the admin screens show it. The app owns its users; mfa-kit only reads them through {@link UserDirectory}. */
export interface AdminUserView {
  id: string;
  name: string;
  email: string;
  /** The user's organisation; null/undefined when the app has no organisations. */
  orgId?: string | null | undefined;
  roles: readonly string[];
}

/** Input of {@link UserDirectory.search}. */
export interface UserSearch {
  /** Free text (name, email, id); empty → list everyone in scope. */
  text: string;
  /** Only users of this organisation; undefined → every organisation (cross-org admins). */
  orgId: string | null | undefined;
  /** Page size. */
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor: string | undefined;
}

/** One page of {@link UserDirectory.search}: `nextCursor` is null on the last page. */
export interface UserSearchPage {
  users: AdminUserView[];
  nextCursor: string | null;
}

/**
 * The app's user directory, as the admin router needs it. A port rather than
 * a callback pair so an app can back it with its ORM in one small object.
 * The router never trusts a directory result blindly: it re-checks the
 * organisation of every user it acts on. Each function may answer
 * synchronously or with a promise.
 */
export interface UserDirectory {
  /** The user, or null when there is none. */
  findById(id: string): Promise<AdminUserView | null> | AdminUserView | null;
  /**
   * One page of users matching the search, in the app's order. The text
   * should match what an admin sees (display name, username, e-mail): the
   * event-log search uses it to find a user's events by those too.
   */
  search(search: UserSearch): Promise<UserSearchPage> | UserSearchPage;
  /**
   * Optional: replaces the user's roles (the app owns roles). When present,
   * the admin router serves `PUT /users/:id/roles` for admins with
   * `mfa:roles`; the MFA requirement follows the new roles at the user's
   * next request or sign-in. `actor` is the admin, for the app's own audit.
   */
  setRoles?(userId: string, roles: string[], actor: Actor): Promise<void> | void;
}
