/**
 * `npm run bench`: runs every benchmark in turn and prints progress.
 * `npm run bench -- http totp` runs only those whose key is given.
 * To add one, export `run<Name>Bench(log): Promise<BenchResult>` from a file
 * in this folder and append it to `benches` below.
 */
import { runEnumerationTimingBench } from './enumeration-timing.js';
import { runHttpBench } from './http.js';
import { runRedisDecisionsBench } from './redis-decisions.js';
import { type BenchResult, runTotpBench } from './totp.js';

const all: Array<{ key: string; name: string; run: (log: (line: string) => void) => Promise<BenchResult> }> =
  [
    { key: 'totp', name: 'TOTP verification (findTOTPStep vs otplib verify)', run: runTotpBench },
    { key: 'redis', name: 'Redis verification decisions (single node)', run: runRedisDecisionsBench },
    { key: 'http', name: 'HTTP sign-in: floor vs reference stack vs mfa-kit', run: runHttpBench },
    {
      key: 'enumeration',
      name: 'Wrong-password timing: existing vs unknown usernames (example app on Redis)',
      run: runEnumerationTimingBench,
    },
  ];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((key) => !all.some((bench) => bench.key === key));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${all.map((b) => b.key).join(', ')}`);
  process.exit(2);
}
const benches = wanted.length === 0 ? all : all.filter((bench) => wanted.includes(bench.key));

let failed = 0;
for (const [index, bench] of benches.entries()) {
  console.log(`\n[${index + 1}/${benches.length}] ${bench.name}`);
  const result = await bench.run((line) => console.log(`  ${line}`));
  if (!result.ok) failed++;
}
console.log(`\n${benches.length - failed}/${benches.length} benchmarks completed`);
if (failed > 0) process.exitCode = 1;
