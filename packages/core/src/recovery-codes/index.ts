// Recovery codes: generation, normalisation of typed input, display format.
export { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH } from './alphabet.js';
export { DEFAULT_RECOVERY_CODE_COUNT, generateRecoveryCodes } from './generate-recovery-codes.js';
export { formatRecoveryCode, normalizeRecoveryCode } from './normalize-recovery-code.js';
