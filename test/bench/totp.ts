/**
 * TOTP verification throughput: @mfa-kit/core's findTOTPStep (node:crypto
 * HMAC, ±1 step window) against otplib 13's default `verify` (noble hashes,
 * `epochTolerance` of one period) on the same secrets and codes, in one run.
 *
 * Before timing anything it checks that both accept and reject exactly the
 * same inputs: the RFC 6238 Appendix B vectors and the benchmark's own mix.
 *
 * Run alone: `npx tsx test/bench/totp.ts`, or through `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { verify } from 'otplib';
import {
  decodeBase32,
  encodeBase32,
  findTOTPStep,
  generateTOTP,
} from '../../packages/core/src/totp/index.js';
import { RFC6238_ROWS, RFC6238_SEEDS } from '../../packages/core/src/totp/rfc-vectors.js';
import type { TotpAlgorithm } from '../../packages/core/src/types.js';

/** Result of one benchmark, printed by the runner. */
export interface BenchResult {
  name: string;
  lines: string[];
  ok: boolean;
}

interface Sample {
  secret: string; // base32, as stored
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  code: string;
  timeInMs: number;
}

const PERIOD = 30;
const lower = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;

function ours(sample: Sample): boolean {
  const key = decodeBase32(sample.secret);
  const step = findTOTPStep(key, sample.code, {
    timeInMs: sample.timeInMs,
    periodInSeconds: PERIOD,
    digits: sample.digits,
    algorithm: sample.algorithm,
    window: 1,
  });
  return step !== null;
}

async function theirs(sample: Sample): Promise<boolean> {
  const result = await verify({
    secret: sample.secret,
    token: sample.code,
    algorithm: lower[sample.algorithm],
    digits: sample.digits,
    period: PERIOD,
    epoch: Math.floor(sample.timeInMs / 1000),
    epochTolerance: PERIOD,
  });
  return result.valid;
}

/** RFC 6238 Appendix B rows, each checked at its own time and with ±1/±2 step offsets. */
function rfcSamples(): Sample[] {
  const seeds: Record<TotpAlgorithm, string> = {
    SHA1: encodeBase32(RFC6238_SEEDS.SHA1),
    SHA256: encodeBase32(RFC6238_SEEDS.SHA256),
    SHA512: encodeBase32(RFC6238_SEEDS.SHA512),
  };
  return RFC6238_ROWS.flatMap(([seconds, algorithm, code]) =>
    [-2, -1, 0, 1, 2].map((offset) => ({
      secret: seeds[algorithm],
      algorithm,
      digits: 8 as const,
      code,
      timeInMs: (seconds + offset * PERIOD) * 1000,
    })),
  ).filter((sample) => sample.timeInMs >= 0);
}

/** The timed mix: per secret, codes for steps −2…+2 (3 valid, 2 invalid) and a random wrong code. */
function benchSamples(secrets: number, now: number): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < secrets; i++) {
    const secret = encodeBase32(randomBytes(20));
    const key = decodeBase32(secret);
    for (const offset of [-2, -1, 0, 1, 2]) {
      const code = generateTOTP(key, {
        timeInMs: now + offset * PERIOD * 1000,
        periodInSeconds: PERIOD,
        digits: 6,
        algorithm: 'SHA1',
      });
      samples.push({ secret, algorithm: 'SHA1', digits: 6, code, timeInMs: now });
    }
    const wrong = String(randomBytes(4).readUInt32BE(0) % 1_000_000).padStart(6, '0');
    samples.push({ secret, algorithm: 'SHA1', digits: 6, code: wrong, timeInMs: now });
  }
  return samples;
}

async function compare(samples: Sample[]): Promise<{ mismatches: number; accepted: number }> {
  let mismatches = 0;
  let accepted = 0;
  for (const sample of samples) {
    const a = ours(sample);
    const b = await theirs(sample);
    if (a !== b) mismatches++;
    if (a) accepted++;
  }
  return { mismatches, accepted };
}

/** Verifications per second over at least `minMs`, cycling through the samples. */
async function measure(fn: (s: Sample) => boolean | Promise<boolean>, samples: Sample[], minMs: number) {
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const sample of samples) {
      if (await fn(sample)) sink++;
    }
    count += samples.length;
    elapsed = performance.now() - start;
  }
  return { perSecond: (count / elapsed) * 1000, sink };
}

/** Runs the TOTP benchmark; `log` receives progress lines. */
export async function runTotpBench(log: (line: string) => void = console.log): Promise<BenchResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(line);
  };
  const rfc = rfcSamples();
  const rfcCheck = await compare(rfc);
  say(
    `RFC 6238 vectors (±0…2 steps): ${rfc.length} checks, ${rfcCheck.accepted} accepted, ${rfcCheck.mismatches} mismatches`,
  );

  const samples = benchSamples(200, Date.UTC(2026, 0, 1, 0, 0, 10));
  const mixCheck = await compare(samples);
  say(`bench mix: ${samples.length} codes, ${mixCheck.accepted} accepted, ${mixCheck.mismatches} mismatches`);
  if (rfcCheck.mismatches + mixCheck.mismatches > 0) {
    say('FAIL: findTOTPStep and otplib verify disagree; not timing.');
    return { name: 'totp', lines, ok: false };
  }

  // Warm up both, then alternate rounds so machine noise hits both alike.
  await measure(ours, samples, 200);
  await measure(theirs, samples, 200);
  const oursRuns: number[] = [];
  const theirsRuns: number[] = [];
  for (let round = 1; round <= 3; round++) {
    oursRuns.push((await measure(ours, samples, 1000)).perSecond);
    theirsRuns.push((await measure(theirs, samples, 1000)).perSecond);
    log(`  round ${round}/3 done`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(oursRuns);
  const b = median(theirsRuns);
  say(
    `findTOTPStep (±1 window, base32 decode included): ${Math.round(a).toLocaleString('en')} verifications/s`,
  );
  say(
    `otplib 13 verify (epochTolerance 30 s):            ${Math.round(b).toLocaleString('en')} verifications/s`,
  );
  say(`speed-up: ${(a / b).toFixed(1)}× (target ≥ 3×) ${a / b >= 3 ? 'met' : 'NOT met'}`);
  return { name: 'totp', lines, ok: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runTotpBench();
  if (!result.ok) process.exitCode = 1;
}
