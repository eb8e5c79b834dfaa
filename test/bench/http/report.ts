/** Medians, ratios and the side-by-side table of the HTTP benchmark. */
import { APP_KINDS, type AppKind } from './contract.js';
import { PHASES, type PhaseName, type PhaseResult, type RunResult } from './run-app.js';

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Summary {
  /** Median over rounds of rps, p50, p99 and Redis commands per request, per app and phase. */
  medians: Record<
    AppKind,
    Partial<
      Record<
        PhaseName,
        {
          rps: number;
          p50Ms: number;
          p99Ms: number;
          redisCommands: number;
          /** CPU µs per request in the app process and in Redis. */
          appCpuMicros: number;
          redisCpuMicros: number;
        }
      >
    >
  >;
  /** Median of the per-round ratios mfa-kit rps ÷ the other app's rps, per phase. */
  ratios: Record<'reference' | 'floor', Partial<Record<PhaseName, number>>>;
  /**
   * Median of the per-round ratios of CPU per request (app + Redis), the other app's ÷ mfa-kit's, per
   * phase: above 1, mfa-kit does less work per request. Read beside `ratios`: on a shared machine
   * it varies far less than rps.
   */
  cpuRatios: Record<'reference' | 'floor', Partial<Record<PhaseName, number>>>;
  /** Rounds in which each app let the late correct guess / the replayed code in, of the rounds run. */
  correctness: Record<
    AppKind,
    {
      rounds: number;
      lateCorrectAccepted: number | null;
      replayAccepted: number | null;
      allCorrectAccepted: boolean;
      wrongAccepted: number | null;
    }
  >;
}

export function summarise(runs: RunResult[]): Summary {
  const of = (app: AppKind) => runs.filter((run) => run.app === app);
  const medians = {} as Summary['medians'];
  const correctness = {} as Summary['correctness'];
  for (const app of APP_KINDS) {
    medians[app] = {};
    for (const phase of PHASES) {
      const results = of(app).flatMap((run) => (run.phases[phase] ? [run.phases[phase]] : []));
      if (results.length === 0) continue;
      medians[app][phase] = {
        rps: median(results.map((r) => r.rps))!,
        p50Ms: median(results.map((r) => r.p50Ms))!,
        p99Ms: median(results.map((r) => r.p99Ms))!,
        redisCommands: median(results.map((r) => r.redis.perRequest))!,
        appCpuMicros: median(results.map((r) => r.cpu.appMicros))!,
        redisCpuMicros: median(results.map((r) => r.cpu.redisMicros))!,
      };
    }
    const appRuns = of(app);
    const withMfa = appRuns.filter((run) => run.correctness.burst !== null);
    correctness[app] = {
      rounds: appRuns.length,
      lateCorrectAccepted:
        withMfa.length === 0 ? null : withMfa.filter((r) => r.correctness.burst?.lateCorrectAccepted).length,
      replayAccepted:
        withMfa.length === 0 ? null : withMfa.filter((r) => r.correctness.replay?.replayAccepted).length,
      allCorrectAccepted: appRuns.every(
        (run) => run.correctness.correctAccepted === run.phases.correct?.requests,
      ),
      wrongAccepted:
        withMfa.length === 0 ? null : withMfa.reduce((n, r) => n + (r.correctness.wrongAccepted ?? 0), 0),
    };
  }
  const ratios = { reference: {}, floor: {} } as Summary['ratios'];
  const cpuRatios = { reference: {}, floor: {} } as Summary['cpuRatios'];
  const cpuOf = (p: PhaseResult) => p.cpu.appMicros + p.cpu.redisMicros;
  for (const other of ['reference', 'floor'] as const) {
    for (const phase of PHASES) {
      const perRound: number[] = [];
      const cpuPerRound: number[] = [];
      for (const run of of('mfa-kit')) {
        const theirs = runs.find((r) => r.app === other && r.round === run.round)?.phases[phase];
        const ours = run.phases[phase];
        if (theirs && ours) {
          perRound.push(ours.rps / theirs.rps);
          cpuPerRound.push(cpuOf(theirs) / cpuOf(ours));
        }
      }
      const value = median(perRound);
      if (value !== null) ratios[other][phase] = value;
      const cpuValue = median(cpuPerRound);
      if (cpuValue !== null) cpuRatios[other][phase] = cpuValue;
    }
  }
  return { medians, ratios, cpuRatios, correctness };
}

const cell = (value: number | undefined, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));

/** The side-by-side table, as Markdown, plus per-round lines. */
export function formatReport(summary: Summary, runs: RunResult[]): string[] {
  const lines = ['', 'rps per round (p50 / p99 ms):'];
  for (const phase of PHASES) {
    for (const run of runs) {
      const p = run.phases[phase];
      if (p)
        lines.push(
          `  ${phase.padEnd(8)} round ${run.round} ${run.app.padEnd(9)} ${cell(p.rps).padStart(6)} rps (${p.p50Ms.toFixed(1)} / ${p.p99Ms.toFixed(1)})`,
        );
    }
  }
  lines.push(
    '',
    '| median of rounds | ' +
      APP_KINDS.map((a) => `${a} rps (p50 / p99 ms)`).join(' | ') +
      ' | mfa-kit ÷ reference | mfa-kit ÷ floor |',
  );
  lines.push('| --- | ' + APP_KINDS.map(() => '---').join(' | ') + ' | --- | --- |');
  for (const phase of PHASES) {
    const apps = APP_KINDS.map((app) => {
      const m = summary.medians[app][phase];
      return m ? `${cell(m.rps)} (${m.p50Ms.toFixed(1)} / ${m.p99Ms.toFixed(1)})` : '–';
    });
    lines.push(
      `| ${phase} | ${apps.join(' | ')} | ${cell(summary.ratios.reference[phase], 2)} | ${cell(summary.ratios.floor[phase], 2)} |`,
    );
  }
  lines.push('', '| Redis commands per request (INFO commandstats) | ' + APP_KINDS.join(' | ') + ' |');
  lines.push('| --- | ' + APP_KINDS.map(() => '---').join(' | ') + ' |');
  for (const phase of PHASES) {
    lines.push(
      `| ${phase} | ${APP_KINDS.map((app) => cell(summary.medians[app][phase]?.redisCommands, 1)).join(' | ')} |`,
    );
  }
  lines.push(
    '',
    '| CPU µs per request, app + Redis (median of rounds) | ' +
      APP_KINDS.join(' | ') +
      ' | reference ÷ mfa-kit | floor ÷ mfa-kit |',
  );
  lines.push('| --- | ' + APP_KINDS.map(() => '---').join(' | ') + ' | --- | --- |');
  for (const phase of PHASES) {
    const apps = APP_KINDS.map((app) => {
      const m = summary.medians[app][phase];
      return m ? `${cell(m.appCpuMicros)} + ${cell(m.redisCpuMicros)}` : '–';
    });
    lines.push(
      `| ${phase} | ${apps.join(' | ')} | ${cell(summary.cpuRatios.reference[phase], 2)} | ${cell(summary.cpuRatios.floor[phase], 2)} |`,
    );
  }
  const first = (app: AppKind) => runs.find((run) => run.app === app);
  lines.push('', 'Redis commands per request by command (first round):');
  for (const app of APP_KINDS) {
    for (const phase of PHASES) {
      const p = first(app)?.phases[phase];
      if (!p) continue;
      const parts = Object.entries(p.redis.byCommand)
        .filter(([, n]) => n >= 0.01)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([command, n]) => `${command} ${Number(n.toFixed(2))}`);
      lines.push(`  ${app.padEnd(9)} ${phase.padEnd(8)} ${parts.join(', ')}`);
    }
  }
  lines.push('', 'correctness (rounds where the attack succeeded, of rounds run):');
  for (const app of APP_KINDS) {
    const c = summary.correctness[app];
    lines.push(
      c.lateCorrectAccepted === null
        ? `  ${app}: no second-factor check (accepts any code by design)`
        : `  ${app}: late correct guess after a burst accepted in ${c.lateCorrectAccepted}/${c.rounds}; ` +
            `replayed code accepted in ${c.replayAccepted}/${c.rounds}; wrong codes accepted ${c.wrongAccepted}; ` +
            `every correct code accepted: ${c.allCorrectAccepted ? 'yes' : 'NO'}`,
    );
  }
  return lines;
}
