import type { Actor } from '@mfa-kit/core';
import type { ParseArgsConfig } from 'node:util';
import type { CliEncryption, CliSession } from './connect.js';
import type { CliIo } from './io.js';

/** Option definitions in `node:util` parseArgs form. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values. */
export type CliValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** What a command runs with. */
export interface CommandContext {
  /** Positional arguments after the command name (and after `set` for `policy set`). */
  args: string[];
  values: CliValues;
  io: CliIo;
  /**
   * Opens the Redis connection and the mfa-kit instance (once). Commands that
   * decrypt (`reencrypt`) pass the app's key ring; the others get throwaway keys.
   */
  connect(options?: { encryption?: CliEncryption }): Promise<CliSession>;
  /** `MFA_ENCRYPTION_KEYS` from the environment (only `main.ts` reads it), for commands that need the keys. */
  encryptionKeysFromEnv: string | undefined;
  /** The audit actor: `{ kind: 'cli', id: 'cli', osUser }`. */
  actor: Actor;
  json: boolean;
  /** Asks for confirmation unless `--yes`; throws a usage error on a non-TTY and an abort error on "no". */
  confirm(question: { expect: string; prompt: string } | { yesNo: string }): Promise<void>;
}

/** One CLI command. */
export interface CliCommand {
  name: string;
  /** One line for `mfa-kit --help`. */
  summary: string;
  /** Full text for `mfa-kit <command> --help`. */
  help: string;
  /** Options besides the global ones. */
  options: CliOptions;
  /** Whether this invocation changes state and must be confirmed (or given `--yes`). */
  confirms(args: readonly string[]): boolean;
  run(context: CommandContext): Promise<void>;
}
