import { MfaError } from '@mfa-kit/core';
import type { CliCommand } from '../command.js';
import { usageError } from '../usage-error.js';

/** `mfa-kit store acknowledge-reset`: resume service after Redis lost mfa-kit's data. */
export const storeCommand: CliCommand = {
  name: 'store',
  summary: 'Acknowledge that the store lost its data (ends STORE_RESET)',
  help: `Usage: mfa-kit store acknowledge-reset [--yes]

When Redis loses mfa-kit's data (a restart without persistence, FLUSHALL, a
failover to an empty replica), the app refuses sign-in and verification with
503 STORE_RESET instead of treating enrolled users as never enrolled. Check
what happened first (restore a backup if you have one: then restart the app
servers instead of acknowledging). Acknowledging accepts the loss: every
user's factors, recovery codes, locks and policy are gone, users whose role
requires MFA enrol again at their next sign-in, and service resumes on every
app server at its next request. The acknowledgement is recorded in the audit
trail (STORE_RESET_ACKNOWLEDGED, with the operating-system user and the time).`,
  options: {},
  confirms: (args) => args[0] === 'acknowledge-reset',
  async run(context) {
    const [sub] = context.args;
    if (sub !== 'acknowledge-reset') {
      throw usageError(
        sub === undefined
          ? 'Missing subcommand: mfa-kit store acknowledge-reset'
          : `Unknown store subcommand: ${sub} (did you mean \`store acknowledge-reset\`?)`,
      );
    }
    const session = await context.connect();
    await context.confirm({
      yesNo:
        'Every MFA record in this store is lost; users will enrol again. Acknowledge the reset and resume sign-in? [y/N] ',
    });
    const marker = await session.acknowledgeReset();
    // Recorded after the marker is written: the audit trail never claims an acknowledgement that didn't
    // happen. If this append fails the command exits non-zero and says so (the reset stays acknowledged).
    try {
      await session.mfa.events.record({
        type: 'STORE_RESET_ACKNOWLEDGED',
        details: { marker },
        userId: null,
        orgId: null,
        ip: null,
        userAgent: null,
        actor: context.actor,
      });
    } catch (cause) {
      throw new MfaError('STORE_UNAVAILABLE', {
        message: `Acknowledged the store reset (marker ${marker}), but its audit event could not be recorded; record it by hand.`,
        cause,
      });
    }
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'store acknowledge-reset', marker })
        : `Acknowledged the store reset (marker ${marker}); sign-in resumes at each app server's next request.`,
    );
  },
};
