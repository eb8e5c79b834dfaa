import { z } from 'zod';

/**
 * A code as typed by a user: TOTP/SMS digits or a recovery code such as
 * `kayp-lz3p-ke5v-5j1h` (seed 001). Format is checked by core; here only the
 * shape and a length bound, so garbage never reaches the limiter as a 500.
 */
export const codeSchema = z.string().trim().min(1, 'Enter the code.').max(64, 'The code is too long.');

/** Body of the challenge and SMS confirmation routes. */
export const codeBodySchema = z.object({ code: codeSchema });

/** Body of the sign-in challenge routes: the code, and "trust this device" (a checkbox). */
export const challengeBodySchema = z.object({ code: codeSchema, trustDevice: z.boolean().optional() });

/** Unpadded base64url (what `PublicKeyCredential.toJSON()` writes) of at most `max` characters. */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url.');

/**
 * The fields every credential response has (W3C WebAuthn §5.1 `toJSON()`),
 * bounded: a credential id of at most 1023 bytes (§5.8.3), a clientDataJSON
 * of at most 8 KiB (real ones are a few hundred bytes). Extra fields a
 * browser adds (`authenticatorAttachment`, `publicKeyAlgorithm`, …) pass.
 */
const credentialJson = <T extends z.ZodRawShape>(response: T) =>
  z.looseObject({
    id: base64url(1364),
    rawId: base64url(1364),
    type: z.literal('public-key'),
    clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
    response: z.looseObject({ clientDataJSON: base64url(8192), ...response }),
  });

/**
 * A WebAuthn assertion (`navigator.credentials.get()`, as `toJSON()` or
 * `@simplewebauthn/browser` send it). Anything else is `400 VALIDATION` here,
 * uncharged, like a code that isn't a code; core and the verifier then check
 * what it says (a wrong signature, challenge or origin is `401 INVALID_CODE`).
 */
export const webauthnResponseSchema = credentialJson({
  authenticatorData: base64url(8192),
  signature: base64url(2048),
  // Absent, null or empty for a credential that keeps no user handle.
  userHandle: z
    .string()
    .max(128)
    .regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url.')
    .nullish(),
});

/** A WebAuthn attestation (`navigator.credentials.create()`), bounded like {@link webauthnResponseSchema}. */
export const webauthnAttestationSchema = credentialJson({
  attestationObject: base64url(65_536),
  transports: z.array(z.string().max(32)).max(16).optional(),
});

/** Body of `POST /sign-in/webauthn`: the assertion, and "trust this device". */
export const webauthnChallengeBodySchema = z.object({
  response: webauthnResponseSchema,
  trustDevice: z.boolean().optional(),
});

/** Body of `POST /webauthn/register/verify`: the attestation and an optional name for the credential. */
export const webauthnRegisterBodySchema = z.object({
  response: webauthnAttestationSchema,
  name: z.string().trim().min(1).max(64).optional(),
});

/** Body of `PATCH /webauthn/credentials/:id`. */
export const webauthnRenameBodySchema = z.object({ name: z.string().trim().min(1).max(64) });

/** A WebAuthn credential id (base64url, at most 1023 bytes). */
export const credentialIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,1364}$/, 'Unknown credential.');

/** A trusted device's public id (128 bits, base64url). */
export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'Unknown device.');

/**
 * Proof of a second factor (disable, step-up, recovery-code regeneration): a
 * code, or a passkey assertion made for `POST /verify/webauthn/options`.
 */
export const proofBodySchema = z.discriminatedUnion('factor', [
  z.object({ factor: z.enum(['totp', 'sms', 'recovery']), code: codeSchema }),
  z.object({ factor: z.literal('webauthn'), response: webauthnResponseSchema }),
]);

/** A parsed {@link proofBodySchema}. */
export type ProofBody = z.infer<typeof proofBodySchema>;

/** Recovery-code regeneration: a proof is optional when the session's second factor is fresh. */
export const regenerateBodySchema = z.union([
  proofBodySchema,
  z
    .object({})
    .strict()
    .transform(() => null),
]);

/** E.164 (ITU-T E.164): `+`, country code, up to 15 digits in all. Core re-validates the number plan. */
export const phoneBodySchema = z.object({
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, 'Enter the number in international format, e.g. +14155550100.'),
});

/** Routes without input still insist on an object (or nothing), never arbitrary JSON. */
export const emptyBodySchema = z.union([z.object({}).strict(), z.undefined()]);
