import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MfaError } from '../errors.js';
import type { Random } from '../ports/clock.js';

/** Format version of sealed strings; bump when the layout changes. */
const VERSION = 'v1';
/** AES-256 key length in bytes. */
const KEY_BYTES = 32;
/** 96-bit IV, the length GCM is specified for (NIST SP 800-38D §8.2). */
const IV_BYTES = 12;
/** Full 128-bit authentication tag (NIST SP 800-38D §5.2.1.2). */
const TAG_BYTES = 16;
/** Key ids appear in every sealed string, so they are short and delimiter-free. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** Strict unpadded base64url. */
const B64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Encrypts secrets at rest (TOTP secrets, phone numbers) with AES-256-GCM
 * under named keys so keys can rotate: new ciphertexts use the current key,
 * older ones stay readable while their key is in the ring.
 */
export interface KeyRing {
  /**
   * Encrypts `plaintext` with the current key and a fresh random IV.
   * `associatedData` (e.g. `totp:<userId>`) is authenticated but not stored:
   * the ciphertext only opens for the same owner, so a ciphertext copied onto
   * another user's record is useless.
   */
  seal(plaintext: string, associatedData: string): string;
  /**
   * Decrypts a sealed string.
   *
   * @throws MfaError `KEY_UNAVAILABLE` when the key id is unknown, the key is
   * wrong, the text is malformed or anything (IV, ciphertext, tag, associated
   * data) was tampered with — never returns garbage.
   */
  open(sealed: string, associatedData: string): string;
  /** True when `sealed` was not sealed with the current key (or is not a sealed string at all). */
  needsReseal(sealed: string): boolean;
  /** Opens and seals again with the current key (rotation). Throws like {@link KeyRing.open}. */
  reseal(sealed: string, associatedData: string): string;
  /** Key id used by {@link KeyRing.seal}. */
  readonly currentKeyId: string;
}

/** Options of {@link createKeyRing}. */
export interface KeyRingOptions {
  /**
   * Key id → 32-byte key, as bytes or standard/URL-safe base64 text (e.g.
   * `openssl rand -base64 32`). Ids match `[A-Za-z0-9_-]{1,32}`.
   */
  keys: Record<string, Uint8Array | string>;
  /** Id of the key new ciphertexts are sealed with; must be in `keys`. */
  currentKeyId: string;
  /** Source of IVs. @default node:crypto `randomBytes` */
  random?: Random;
}

function configurationError(message: string): MfaError {
  return new MfaError('CONFIGURATION', { message: `encryption: ${message}`, cause: new TypeError(message) });
}

function keyUnavailable(message: string, cause: unknown): MfaError {
  return new MfaError('KEY_UNAVAILABLE', { message, cause });
}

/** Decodes one configured key, rejecting anything that is not exactly 32 bytes. */
function toKeyBytes(id: string, key: Uint8Array | string): Buffer {
  if (key instanceof Uint8Array) {
    if (key.length !== KEY_BYTES) {
      throw configurationError(`key "${id}" must be exactly ${KEY_BYTES} bytes, got ${key.length}.`);
    }
    return Buffer.from(key);
  }
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(key)) {
    throw configurationError(`key "${id}" must be 32 bytes or base64 text.`);
  }
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw configurationError(
      `key "${id}" must decode from base64 to exactly ${KEY_BYTES} bytes, got ${bytes.length} (generate one with: openssl rand -base64 32).`,
    );
  }
  return bytes;
}

/** Decodes strict unpadded base64url, or null. */
function fromBase64Url(text: string): Buffer | null {
  if (!B64URL_PATTERN.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical encodings so one ciphertext has exactly one text form.
  return bytes.toString('base64url') === text ? bytes : null;
}

/**
 * Creates an AES-256-GCM {@link KeyRing}. Sealed strings look like
 * `v1.<keyId>.<iv base64url>.<ciphertext‖tag base64url>`.
 *
 * A random 96-bit IV per seal keeps the IV-reuse probability negligible for
 * far more than the 2^32 encryptions per key that NIST SP 800-38D §8.3 allows;
 * rotate keys long before that.
 *
 * @throws MfaError `CONFIGURATION` when a key is not 32 bytes, a key id is
 * malformed, or `currentKeyId` is not in `keys`.
 */
export function createKeyRing(options: KeyRingOptions): KeyRing {
  if (
    options === null ||
    typeof options !== 'object' ||
    options.keys === null ||
    typeof options.keys !== 'object'
  ) {
    throw configurationError('`keys` must be an object mapping key ids to 32-byte keys.');
  }
  const keys = new Map<string, Buffer>();
  for (const [id, key] of Object.entries(options.keys)) {
    if (!KEY_ID_PATTERN.test(id)) {
      throw configurationError(`key id "${id}" is invalid; use 1–32 characters from A–Z, a–z, 0–9, _ and -.`);
    }
    keys.set(id, toKeyBytes(id, key));
  }
  if (keys.size === 0) throw configurationError('`keys` must contain at least one key.');
  const currentKeyId = options.currentKeyId;
  if (typeof currentKeyId !== 'string' || !keys.has(currentKeyId)) {
    throw configurationError(`currentKeyId "${String(currentKeyId)}" is not one of the configured keys.`);
  }
  const currentKey = keys.get(currentKeyId)!;
  const nextIv = (): Buffer => {
    const iv = options.random ? Buffer.from(options.random.bytes(IV_BYTES)) : randomBytes(IV_BYTES);
    if (iv.length !== IV_BYTES)
      throw configurationError('the Random source returned the wrong number of bytes.');
    return iv;
  };

  const seal = (plaintext: string, associatedData: string): string => {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${currentKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  };

  const open = (sealed: string, associatedData: string): string => {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    const [version, keyId, ivText, bodyText] = parts;
    if (parts.length !== 4 || version !== VERSION || keyId === undefined) {
      throw keyUnavailable('The encrypted value is malformed.', new TypeError('not a v1 sealed string'));
    }
    const key = keys.get(keyId);
    if (key === undefined) {
      throw keyUnavailable(
        `Encryption key "${keyId}" is not configured; add it to the key ring to read this value.`,
        new RangeError(`unknown key id ${keyId}`),
      );
    }
    const iv = fromBase64Url(ivText ?? '');
    const body = fromBase64Url(bodyText ?? '');
    if (iv === null || iv.length !== IV_BYTES || body === null || body.length < TAG_BYTES) {
      throw keyUnavailable(
        'The encrypted value is malformed.',
        new TypeError('bad IV or ciphertext encoding'),
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch (error) {
      throw keyUnavailable(
        `The encrypted value does not open with key "${keyId}": wrong key, wrong owner or tampered data.`,
        error,
      );
    }
  };

  return Object.freeze({
    currentKeyId,
    seal,
    open,
    needsReseal: (sealed: string): boolean =>
      typeof sealed !== 'string' || !sealed.startsWith(`${VERSION}.${currentKeyId}.`),
    reseal: (sealed: string, associatedData: string): string =>
      seal(open(sealed, associatedData), associatedData),
  });
}
