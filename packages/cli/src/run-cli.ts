import { parseArgs } from 'node:util';
import { type Actor, isMfaError } from '@mfa-kit/core';
import type { CliCommand, CliOptions, CliValues, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { type CliSession, connectCli } from './connect.js';
import type { CliIo } from './io.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, usageError } from './usage-error.js';

/** The environment variables the CLI reads (only `main.ts` touches `process.env`). */
export interface CliEnvironment {
  REDIS_URL?: string | undefined;
  /** Comma-separated cluster node URLs. */
  REDIS_CLUSTER_URLS?: string | undefined;
  MFA_HASH_KEY?: string | undefined;
  /** The app's key ring as JSON `{ "currentKeyId": "…", "keys": { "<id>": "<base64>" } }` (for `reencrypt`). */
  MFA_ENCRYPTION_KEYS?: string | undefined;
}

/** Options every command accepts. */
const GLOBAL_OPTIONS: CliOptions = {
  'redis-url': { type: 'string' },
  'redis-cluster': { type: 'string' },
  prefix: { type: 'string' },
  'hash-key': { type: 'string' },
  'connect-timeout': { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
};

const GLOBAL_HELP = `Connection (every command):
  --redis-url URL         redis://[user:pass@]host:port[/db] (or env REDIS_URL)
  --redis-cluster URLS    comma-separated cluster node URLs (or env REDIS_CLUSTER_URLS)
  --prefix P              mfa-kit key prefix (default mfa:)
  --hash-key KEY          the app's hashKey (or env MFA_HASH_KEY); no current command needs it
  --connect-timeout MS    give up connecting after MS milliseconds (default 5000)
Output and safety:
  --json                  machine-readable output
  -y, --yes               do not ask for confirmation (required when stdin is not a terminal)
  -h, --help              help`;

/** Text of `mfa-kit --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `mfa-kit: break-glass MFA administration on the Redis that mfa-kit uses.

Usage: mfa-kit <command> [arguments] [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`mfa-kit <command> --help\` for a command's options.

${GLOBAL_HELP}

Exit status: 0 done, 1 the operation failed (e.g. Redis unreachable) or was
declined, 2 usage error. Every change to a user or the policy is recorded in
the MFA event log with actor cli and your operating-system user.`;
}

/** The command name: the first token that is neither an option nor the value of a global option. */
function findCommand(argv: readonly string[]): { name: string | undefined; index: number } {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') return { name: argv[i + 1], index: i + 1 };
    if (!token.startsWith('-')) return { name: token, index: i };
    const option = GLOBAL_OPTIONS[token.replace(/^--?/, '').split('=')[0] as string];
    if (option?.type === 'string' && !token.includes('=')) i += 1;
  }
  return { name: undefined, index: -1 };
}

/**
 * Runs one CLI invocation and returns the exit status. Never throws: failures
 * become a one-line message on stderr (no stack) and status 1, command-line
 * mistakes status 2.
 */
export async function runCli(
  argv: readonly string[],
  env: CliEnvironment,
  io: CliIo,
  osUser: string,
): Promise<number> {
  const { name, index } = findCommand(argv);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (name === undefined || name === 'help') {
    if (wantsHelp || name === 'help') {
      io.out(mainHelp());
      return EXIT_OK;
    }
    io.err(`mfa-kit: missing command.\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`mfa-kit: unknown command "${name}". Run mfa-kit --help.`);
    return EXIT_USAGE;
  }
  if (wantsHelp) {
    io.out(`${command.help}\n\n${GLOBAL_HELP}`);
    return EXIT_OK;
  }
  let session: CliSession | null = null;
  try {
    const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
    const { values, positionals } = parseCommandLine(command, rest);
    const args = positionals;
    const yes = values['yes'] === true;
    if (command.confirms(args) && !yes && !io.interactive) {
      throw usageError('This command changes data and stdin is not a terminal: pass --yes to confirm.');
    }
    const connection = connectionFrom(values, env);
    const actor: Actor = { kind: 'cli', id: 'cli', osUser };
    const context: CommandContext = {
      args,
      values,
      io,
      actor,
      json: values['json'] === true,
      encryptionKeysFromEnv: env.MFA_ENCRYPTION_KEYS,
      async connect(options = {}) {
        session ??= await connectCli({ ...connection, ...options });
        return session;
      },
      async confirm(question) {
        if (yes) return;
        if (!io.interactive) throw usageError('Refusing to prompt: stdin is not a terminal. Pass --yes.');
        if ('expect' in question) {
          const answer = (await io.ask(question.prompt)).trim();
          if (answer !== question.expect) throw new Aborted(`"${answer}" does not match; nothing changed.`);
        } else {
          const answer = (await io.ask(question.yesNo)).trim();
          if (!/^y(es)?$/i.test(answer)) throw new Aborted('Nothing changed.');
        }
      },
    };
    await command.run(context);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof Aborted) {
      io.err(`mfa-kit: aborted: ${error.message}`);
      return EXIT_FAILED;
    }
    if (isMfaError(error, 'VALIDATION')) {
      io.err(`mfa-kit ${command.name}: ${error.message}\nRun mfa-kit ${command.name} --help for usage.`);
      return EXIT_USAGE;
    }
    if (isMfaError(error)) {
      io.err(`mfa-kit ${command.name}: ${error.message} [${error.code}]`);
      return EXIT_FAILED;
    }
    io.err(
      `mfa-kit ${command.name}: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_FAILED;
  } finally {
    await (session as CliSession | null)?.close();
  }
}

/** A declined confirmation prompt. */
class Aborted extends Error {
  override readonly name = 'Aborted';
}

function parseCommandLine(
  command: CliCommand,
  argv: readonly string[],
): { values: CliValues; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as CliValues, positionals: parsed.positionals };
  } catch (cause) {
    throw usageError(
      cause instanceof Error
        ? (cause.message.split(/\n|\. To specify/)[0] ?? 'bad arguments')
        : 'bad arguments',
      cause,
    );
  }
}

function connectionFrom(values: CliValues, env: CliEnvironment) {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const cluster = str('redis-cluster') ?? env.REDIS_CLUSTER_URLS;
  const timeoutText = str('connect-timeout') ?? '5000';
  const connectTimeoutMs = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText) || connectTimeoutMs < 1 || connectTimeoutMs > 600_000) {
    throw usageError('--connect-timeout must be milliseconds, 1-600000.');
  }
  const prefix = str('prefix') ?? 'mfa:';
  if (/[{}]/.test(prefix)) throw usageError('--prefix must not contain { or }.');
  return {
    redisUrl: str('redis-url') ?? env.REDIS_URL,
    clusterUrls: cluster
      ?.split(',')
      .map((u) => u.trim())
      .filter((u) => u !== ''),
    prefix,
    hashKey: str('hash-key') ?? env.MFA_HASH_KEY,
    connectTimeoutMs,
  };
}
