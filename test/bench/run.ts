/**
 * `npm run bench`: runs every micro-benchmark in turn and prints progress.
 * To add one, export `run<Name>Bench(log): Promise<BenchResult>` from a file
 * in this folder and append it to `benches` below.
 */
import { runRedisDecisionsBench } from './redis-decisions.js';
import { type BenchResult, runTotpBench } from './totp.js';

const benches: Array<{ name: string; run: (log: (line: string) => void) => Promise<BenchResult> }> = [
  { name: 'TOTP verification (findTOTPStep vs otplib verify)', run: runTotpBench },
  { name: 'Redis verification decisions (single node)', run: runRedisDecisionsBench },
  // { name: '…', run: runSomethingBench },
];

let failed = 0;
for (const [index, bench] of benches.entries()) {
  console.log(`\n[${index + 1}/${benches.length}] ${bench.name}`);
  const result = await bench.run((line) => console.log(`  ${line}`));
  if (!result.ok) failed++;
}
console.log(`\n${benches.length - failed}/${benches.length} benchmarks completed`);
if (failed > 0) process.exitCode = 1;
