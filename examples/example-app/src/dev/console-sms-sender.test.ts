import { isMfaError } from '@mfa-kit/core';
import { describe, expect, it } from 'vitest';
import { createConsoleSmsSender } from './console-sms-sender.js';
import { createDevInbox } from './dev-inbox.js';

const clock = { now: () => 1_700_000_000_000 };

describe('console SMS sender', () => {
  it('delivers to the dev inbox and the log instead of a phone', async () => {
    const inbox = createDevInbox(clock);
    const lines: string[] = [];
    const sent = await createConsoleSmsSender(inbox, (l) => lines.push(l)).send({
      to: '+14155550100',
      body: 'Your code is 123456',
    });
    expect(sent.id).toMatch(/^console-\d+$/);
    expect(inbox.list()).toMatchObject([
      { kind: 'sms', to: '+14155550100', body: 'Your code is 123456', time: clock.now() },
    ]);
    expect(lines).toEqual(['[sms to +14155550100] Your code is 123456']);
  });

  it.each([
    ['+15005550001', 'SMS_FAILURE', 21211],
    ['+15005550004', 'SMS_FAILURE', 21610],
    ['+15005550500', 'PROVIDER_FAILURE', 500],
  ])(
    'fails for the test number %s like Twilio (%s, %s) and delivers nothing',
    async (to, code, providerCode) => {
      const inbox = createDevInbox(clock);
      const error = await createConsoleSmsSender(inbox, () => {})
        .send({ to, body: 'x' })
        .catch((e: unknown) => e);
      expect(isMfaError(error, code as 'SMS_FAILURE')).toBe(true);
      expect((error as { details: { providerCode: number } }).details.providerCode).toBe(providerCode);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(inbox.list()).toEqual([]);
    },
  );
});
