/**
 * Country calling codes assigned by the ITU (ITU-T E.164 Annex, "List of
 * ITU-T Recommendation E.164 assigned country codes"), including shared and
 * non-geographic codes (800 freephone, 881–883 global services, 979 premium).
 * Spare and withdrawn codes are absent, so a number starting with one is
 * rejected. Country codes are prefix-free: no code is a prefix of another.
 */
const ASSIGNED: readonly string[] = [
  // zones 1 and 7 (one digit)
  '1',
  '7',
  // two digits
  ...'20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49'.split(' '),
  ...'51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
  // three digits, zone 2 (Africa and islands)
  ...'211 212 213 216 218 220 221 222 223 224 225 226 227 228 229'.split(' '),
  ...'230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249'.split(' '),
  ...'250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269'.split(' '),
  ...'290 291 297 298 299'.split(' '),
  // zone 3–4 (Europe)
  ...'350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379'.split(' '),
  ...'380 381 382 383 385 386 387 389 420 421 423'.split(' '),
  // zone 5 (Latin America)
  ...'500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599'.split(' '),
  // zone 6 (Oceania)
  ...'670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692'.split(' '),
  // zone 8 (East Asia, global services)
  ...'800 808 850 852 853 855 856 870 878 880 881 882 883 886 888'.split(' '),
  // zone 9 (West and South Asia)
  ...'960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979'.split(' '),
  ...'992 993 994 995 996 998'.split(' '),
];

const ASSIGNED_SET: ReadonlySet<string> = new Set(ASSIGNED);

/**
 * The ITU country calling code that starts an E.164 digit string (without
 * `+`), or `null` when it starts with a spare or unassigned code.
 */
export function findCallingCode(digits: string): string | null {
  for (let length = 1; length <= 3; length++) {
    const prefix = digits.slice(0, length);
    if (prefix.length === length && ASSIGNED_SET.has(prefix)) return prefix;
  }
  return null;
}
