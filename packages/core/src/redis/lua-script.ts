import { createHash } from 'node:crypto';

/** A Lua script with its SHA1, ready for EVALSHA. */
export interface LuaScript {
  /** Short name for error messages. */
  name: string;
  source: string;
  /** Hex SHA1 of `source`: the name Redis caches the script under (SCRIPT LOAD / EVALSHA). */
  sha: string;
}

/** Wraps a script source; the SHA1 is computed once here, so EVALSHA needs no SCRIPT LOAD round trip. */
export function defineLuaScript(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}
