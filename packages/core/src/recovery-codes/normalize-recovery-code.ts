import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_GROUP_LENGTH, RECOVERY_CODE_LENGTH } from './alphabet.js';

/** Inputs longer than this are rejected before any processing. */
const MAX_INPUT_LENGTH = 64;

/**
 * ASCII char code → canonical character, or undefined when not allowed.
 * Upper case folds to lower case; `i`/`l` read as `1` and `o` as `0`, as in
 * Crockford's base32, because people copy codes from paper.
 */
const CANONICAL: ReadonlyMap<number, string> = (() => {
  const map = new Map<number, string>();
  for (const c of RECOVERY_CODE_ALPHABET) {
    map.set(c.charCodeAt(0), c);
    map.set(c.toUpperCase().charCodeAt(0), c);
  }
  for (const [from, to] of [
    ['i', '1'],
    ['l', '1'],
    ['o', '0'],
  ] as const) {
    map.set(from.charCodeAt(0), to);
    map.set(from.toUpperCase().charCodeAt(0), to);
  }
  return map;
})();

/** Separators people type or paste: space, tab, dash. */
function isSeparator(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x2d;
}

/**
 * Normalises what a user typed into the canonical 16-character form (lower
 * case, no dashes) that is hashed and compared, or `null` when it cannot be a
 * recovery code: not a string, longer than 64 characters, non-ASCII, a
 * character outside the alphabet, or the wrong length. Never throws, so a
 * malformed submission is an ordinary "invalid code" outcome.
 */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (isSeparator(code)) continue;
    const canonical = CANONICAL.get(code);
    if (canonical === undefined) return null;
    out += canonical;
  }
  return out.length === RECOVERY_CODE_LENGTH ? out : null;
}

/**
 * Formats a canonical code for display: groups of four joined by dashes
 * (`kayp-mz3p-ke5v-5j1h`), which is easier to copy by hand.
 */
export function formatRecoveryCode(canonical: string): string {
  const groups: string[] = [];
  for (let i = 0; i < canonical.length; i += RECOVERY_CODE_GROUP_LENGTH) {
    groups.push(canonical.slice(i, i + RECOVERY_CODE_GROUP_LENGTH));
  }
  return groups.join('-');
}
