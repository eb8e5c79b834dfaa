import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SmsSender } from '@mfa-kit/core';
import { createTwilioSmsSender } from '@mfa-kit/twilio-sms';
import twilio from 'twilio';
import type { DevInbox } from './dev-inbox.js';

/**
 * Numbers on which the dev Twilio API fails the way Twilio does, so every
 * Twilio error path can be seen in a browser (seed 004: SMS failure, "MFA
 * provider failure … Error Code: 500"). Other numbers get the SMS, in the dev inbox.
 */
export const DEV_TWILIO_NUMBERS = {
  '+15005550001': 'Twilio 21211: invalid "To" number (400)',
  '+15005550004': 'Twilio 21610: the number replied STOP (400)',
  '+15005550429': 'Twilio 20429: too many requests (429)',
  '+15005550500': 'HTTP 500 from Twilio, empty body',
  '+15005550408': 'no answer (the sender gives up after its timeout)',
} as const;

const TWILIO_ERRORS: Record<string, { status: number; code: number; message: string }> = {
  '+15005550001': { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
  '+15005550004': { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550429': { status: 429, code: 20429, message: 'Too Many Requests' },
};

/** The running dev Twilio API and a real Twilio sender pointed at it. */
export interface DevTwilio {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `createTwilioSmsSender` from `@mfa-kit/twilio-sms`, unchanged, with its HTTP client sent here. */
  sender: SmsSender;
  close(): Promise<void>;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64_000) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Starts a fake of Twilio's Messages API on loopback (`FAKE_TWILIO=1`) and
 * builds the real Twilio sender against it: the twilio SDK's request client
 * is only told to send to this address instead of `api.twilio.com`, so the
 * SDK's error parsing and `@mfa-kit/twilio-sms`'s error mapping, retries and
 * deadline all run exactly as in production. Development only.
 */
export async function startDevTwilio(options: { inbox: DevInbox; timeoutMs?: number }): Promise<DevTwilio> {
  const hung = new Set<ServerResponse>();
  let nextSid = 1;
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(req.url ?? '')) {
      json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      return;
    }
    readForm(req).then(
      (form) => {
        const to = form.get('To') ?? '';
        if (to === '+15005550408') {
          hung.add(res);
          res.on('close', () => hung.delete(res));
          return;
        }
        if (to === '+15005550500') {
          res.writeHead(500, { 'content-type': 'text/html' }).end();
          return;
        }
        const failure = TWILIO_ERRORS[to];
        if (failure !== undefined) {
          json(res, failure.status, {
            ...failure,
            more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
          });
          return;
        }
        const sid = `SM${String(nextSid++).padStart(32, '0')}`;
        options.inbox.add({ kind: 'sms', to, subject: null, body: form.get('Body') ?? '', link: null });
        json(res, 201, { sid, to, from: form.get('From'), body: form.get('Body'), status: 'queued' });
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  class LoopbackRequestClient extends twilio.RequestClient {
    override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
      const original = new URL(opts.uri);
      return super.request({ ...opts, uri: new URL(original.pathname + original.search, url).href });
    }
  }
  const sender = createTwilioSmsSender({
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: 'dev-twilio',
    from: '+15005550006',
    timeoutMs: options.timeoutMs ?? 5_000,
    twilioOptions: { httpClient: new LoopbackRequestClient({ keepAlive: false }) },
  });
  return {
    url,
    sender,
    close: () =>
      new Promise((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
