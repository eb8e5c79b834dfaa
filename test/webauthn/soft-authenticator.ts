/**
 * A software WebAuthn authenticator for tests without a browser: ES256 (P-256)
 * credentials, `none` attestation, a signature counter we control. It produces
 * the JSON a browser's `PublicKeyCredential.toJSON()` (or
 * `@simplewebauthn/browser`) sends, so the real `@simplewebauthn/server`
 * checks it end to end. Never use outside tests.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/** Minimal CBOR (RFC 8949) encoder for what attestation objects hold: maps, ints, byte and text strings. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new TypeError('unsupported CBOR value');
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

/** One credential held by a {@link SoftAuthenticator}. */
export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  signCount: number;
  /** Synced passkey (backup eligible and backed up). */
  backedUp: boolean;
  /** The COSE algorithm it signs with: ES256 (-7), or RS1 (-65535, RSA with SHA-1) for tests of weak keys. */
  algorithm: -7 | -65535;
}

/** A test authenticator for one RP ID and origin. */
export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** Counter step per signature (0: an authenticator that keeps no counter, like most passkeys). */
  counterStep = 1;

  constructor(
    readonly rpId: string,
    readonly origin: string,
  ) {}

  private flags(credential: SoftCredential, attested: boolean): number {
    // UP (0x01) | UV (0x04) | BE (0x08) | BS (0x10) | AT (0x40)
    return 0x01 | 0x04 | (credential.backedUp ? 0x18 : 0) | (attested ? 0x40 : 0);
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** `navigator.credentials.create()` for these options: a new credential, as RegistrationResponseJSON. */
  register(
    options: { challenge: string },
    input: { backedUp?: boolean; algorithm?: -7 | -65535; id?: Buffer } = {},
  ): Record<string, unknown> {
    const algorithm = input.algorithm ?? -7;
    const { privateKey, publicKey } =
      algorithm === -7
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const credential: SoftCredential = {
      id: input.id ?? randomBytes(32),
      privateKey,
      publicKey,
      signCount: 0,
      backedUp: input.backedUp ?? false,
      algorithm,
    };
    this.credentials.push(credential);
    const jwk = publicKey.export({ format: 'jwk' });
    const key = (value: unknown) => Buffer.from(String(value), 'base64url');
    const cose = cbor(
      algorithm === -7
        ? new Map<number, unknown>([
            [1, 2],
            [3, -7],
            [-1, 1],
            [-2, key(jwk.x)],
            [-3, key(jwk.y)],
          ])
        : new Map<number, unknown>([
            [1, 3],
            [3, -65535],
            [-1, key(jwk.n)],
            [-2, key(jwk.e)],
          ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const counter = Buffer.alloc(4);
    const authData = Buffer.concat([
      sha256(this.rpId),
      Buffer.from([this.flags(credential, true)]),
      counter,
      Buffer.alloc(16),
      idLength,
      credential.id,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = b64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** `navigator.credentials.get()` for these options with `credential` (default: the first), as AuthenticationResponseJSON. */
  assert(
    options: { challenge: string },
    input: { credential?: SoftCredential; origin?: string } = {},
  ): Record<string, unknown> {
    const credential = input.credential ?? this.credentials[0];
    if (credential === undefined) throw new Error('no credential');
    credential.signCount += this.counterStep;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.signCount);
    const authData = Buffer.concat([
      sha256(this.rpId),
      Buffer.from([this.flags(credential, false)]),
      counter,
    ]);
    const clientData = this.clientData('webauthn.get', options.challenge, input.origin);
    const signature = sign(
      credential.algorithm === -7 ? 'sha256' : 'sha1',
      Buffer.concat([authData, sha256(clientData)]),
      credential.privateKey,
    );
    const id = b64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: null,
      },
    };
  }
}
