import type { CliCommand } from '../command.js';
import { reasonOf } from '../target-user.js';
import { usageError } from '../usage-error.js';

/** `mfa-kit clear-address <address>`: gives an address its second-factor failure budget back. */
export const clearAddressCommand: CliCommand = {
  name: 'clear-address',
  summary: 'Give a client address its second-factor failure budget back',
  help: `Usage: mfa-kit clear-address <address> [--reason TEXT]

An address that used up its budget of second-factor failures (30 an hour by
default, across all users; IPv6 grouped by /64) gets no further code checked
until the oldest failure leaves the window. This gives it the whole budget
back at once (e.g. an office NAT after a burst of typos). Passwords and
sign-ins without a second factor are never refused by the budget.

  --reason TEXT    why (recorded in the audit event)`,
  options: { reason: { type: 'string' } },
  confirms: () => false,
  async run(context) {
    if (context.args.length !== 1) throw usageError('Give exactly one <address> (an IPv4 or IPv6 address).');
    const address = (context.args[0] as string).trim();
    if (address === '' || address.length > 100) throw usageError('An address has 1 to 100 characters.');
    const { mfa } = await context.connect();
    const cleared = await mfa.admin.clearAddress(context.actor, address, reasonOf(context));
    context.io.out(
      context.json
        ? JSON.stringify({ ok: true, action: 'clear-address', address: cleared.address })
        : `Cleared the second-factor budget of ${cleared.address}.`,
    );
  },
};
