/**
 * The one contract every benchmarked app implements, and what an app process
 * tells the driver once it listens.
 *
 * - `POST /login` `{ username, password }`: the password step (plain compare,
 *   so no KDF hides the second factor); the session is then pending.
 * - `POST /login/totp` `{ code }`: the second factor; 200 signs the session in.
 * - `GET /app`: 200 for a signed-in session, 401/403 otherwise.
 *
 * Every app trusts one proxy (`trust proxy` 1), so the driver gives each
 * simulated user its own client IP in `X-Forwarded-For` and `https` in
 * `X-Forwarded-Proto` (the README's `secure` cookies).
 */
export const APP_KINDS = ['floor', 'reference', 'mfa-kit'] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** The Origin the driver sends and mfa-kit allows. */
export const BENCH_ORIGIN = 'https://bench.test';

/** The i-th user of a run: id and username `u<i>`, password `pw-<i>`. */
export function benchUser(index: number): { id: string; username: string; password: string } {
  return { id: `u${index}`, username: `u${index}`, password: `pw-${index}` };
}

/** The message an app process sends (IPC) once it listens. `secrets[i]`: user i's TOTP secret (base32), or null. */
export interface AppReady {
  type: 'ready';
  port: number;
  secrets: Array<string | null>;
}

/** What the benchmark asks an app process between phases: its CPU time, or to start / stop a CPU profile. */
export type AppMessage =
  | { type: 'cpu'; id: number }
  | { type: 'profile-start'; id: number }
  | { type: 'profile-stop'; id: number; dir: string; file: string };

/** The app process's answer to an {@link AppMessage} with the same id; `micros`: user + system CPU time. */
export type AppReply = { type: 'cpu'; id: number; micros: number } | { type: 'done'; id: number };

/** An in-memory user database, as an app would have one. */
export interface BenchUser {
  id: string;
  username: string;
  password: string;
  roles: string[];
  totpSecret: string | null;
}

export function createUserDb(count: number): {
  byName(name: string): BenchUser | null;
  byId(id: string): BenchUser | null;
  all(): BenchUser[];
} {
  const users = new Map<string, BenchUser>();
  for (let i = 0; i < count; i++)
    users.set(benchUser(i).id, { ...benchUser(i), roles: [], totpSecret: null });
  return {
    byName: (name) => users.get(name) ?? null,
    byId: (id) => users.get(id) ?? null,
    all: () => [...users.values()],
  };
}
