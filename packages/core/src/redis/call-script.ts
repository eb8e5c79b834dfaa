import { MfaError } from '../errors.js';
import type { LuaScript } from './lua-script.js';
import type { RedisCaller } from './redis-caller.js';

/** A JSON-able argument object for a script's ARGV[1] (fields named in the script's header). */
export type ScriptArgs = Record<string, unknown>;

/**
 * Runs `script` with its named arguments as one JSON object in ARGV[1] (read
 * in Lua with `cjson.decode`) instead of positional ARGV. Fields that are
 * `undefined` are left out, which Lua sees as `nil`.
 */
export function callScript(
  caller: RedisCaller,
  script: LuaScript,
  keys: readonly string[],
  args: ScriptArgs,
  options: { spend?: boolean } = {},
): Promise<unknown> {
  const argv = [JSON.stringify(args)];
  // A spend waits for replica acknowledgement when the backend was given `durability`.
  return options.spend === true ? caller.spend(script, keys, argv) : caller.script(script, keys, argv);
}

/** Runs `script` as {@link callScript} and parses its JSON reply (`cjson.encode` on the Lua side). */
export async function callJsonScript(
  caller: RedisCaller,
  script: LuaScript,
  keys: readonly string[],
  args: ScriptArgs,
  options: { spend?: boolean } = {},
): Promise<Record<string, unknown>> {
  const reply = await callScript(caller, script, keys, args, options);
  if (typeof reply === 'string') {
    try {
      const parsed: unknown = JSON.parse(reply);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // falls through to the failure below
    }
  }
  throw new MfaError('STORE_UNAVAILABLE', {
    cause: new Error(`unexpected reply from the ${script.name} script: ${JSON.stringify(reply)}`),
  });
}
