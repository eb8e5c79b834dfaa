import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './io.js';
import { runCli } from './run-cli.js';

// The CLI entry: the one file of the package that reads process.env and the
// real terminal. Everything else gets them injected (see run-cli.ts).

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers may run as a uid without a passwd entry.
    return process.env['USER'] ?? process.env['LOGNAME'] ?? `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: process.stdin.isTTY === true,
  async ask(prompt) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(prompt);
    } finally {
      rl.close();
    }
  },
};

const code = await runCli(
  process.argv.slice(2),
  {
    REDIS_URL: process.env['REDIS_URL'],
    REDIS_CLUSTER_URLS: process.env['REDIS_CLUSTER_URLS'],
    MFA_HASH_KEY: process.env['MFA_HASH_KEY'],
    MFA_ENCRYPTION_KEYS: process.env['MFA_ENCRYPTION_KEYS'],
  },
  io,
  osUserName(),
);
// ioredis may keep a reconnect timer alive for a while after a failed
// connection; a CLI should end as soon as it is done, once its output is flushed
// (pipes are asynchronous on macOS).
process.exitCode = code;
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
