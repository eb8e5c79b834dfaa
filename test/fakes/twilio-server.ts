/**
 * A fake of Twilio's REST API on 127.0.0.1, for tests that drive the real
 * `twilio` SDK. It answers Programmable Messaging (`POST
 * /2010-04-01/Accounts/{Sid}/Messages.json`) and Verify v2 (`POST
 * /v2/Services/{Sid}/Verifications`, `POST /v2/Services/{Sid}/VerificationCheck`)
 * with Twilio-shaped JSON, records every request, and fails on demand the way
 * Twilio fails: error bodies `{ code, message, more_info, status }`, 429, bare
 * HTTP 500s, dropped connections and responses that never come.
 *
 * Typical use:
 * ```ts
 * const fake = await startFakeTwilio();
 * const sender = createTwilioSmsSender({ accountSid, authToken, from, twilioOptions: fake.twilioOptions() });
 * fake.failFor('+15005550001', twilioError(21211));
 * // … drive the app …
 * fake.lastCodeFor('+15005550006'); // the code the app sent by SMS
 * await fake.close();
 * ```
 */
import { randomBytes, randomInt } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/** One request as the fake received it. */
export interface FakeTwilioRequest {
  method: string;
  /** Path without query, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  /** Host the SDK meant to reach, e.g. `api.twilio.com` (from the redirecting client), else the Host header. */
  twilioHost: string;
  /** Lower-cased header names, as Node parses them. */
  headers: Record<string, string | string[] | undefined>;
  /** Decoded HTTP Basic credentials, or null when absent/malformed. */
  auth: { username: string; password: string } | null;
  /** Raw request body. */
  rawBody: string;
  /** Parsed `application/x-www-form-urlencoded` body (last value wins). */
  form: Record<string, string>;
}

/** One SMS the fake accepted (Messages API or a Verify start). */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  channel: 'messages' | 'verify';
}

/**
 * How to fail one request:
 * - `error`: Twilio error body `{ code, message, more_info, status }` with HTTP `status`;
 * - `http`: HTTP `status` with `body` verbatim (`null` → empty body), e.g. a bare 500 from a proxy;
 * - `hang`: accept the request and never answer (until {@link FakeTwilioServer.releaseHung} or close);
 * - `reset`: destroy the connection without a response (a network error for the client).
 */
export type FakeTwilioFailure =
  | FakeTwilioError
  | { kind: 'http'; status: number; body: string | null; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** A Twilio error response: HTTP `status` and body `{ code, message, more_info, status }`. */
export interface FakeTwilioError {
  kind: 'error';
  status: number;
  code: number;
  message: string;
}

/** Messages Twilio returns for the codes tests use; others get a generic text. */
const TWILIO_MESSAGES: Record<number, { status: number; message: string }> = {
  20003: { status: 401, message: 'Authenticate' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21408: {
    status: 400,
    message: 'Permission to send an SMS has not been enabled for the region indicated by the To number',
  },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21612: { status: 400, message: "The 'To' phone number is not currently reachable via SMS" },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  30003: { status: 400, message: 'Unreachable destination handset' },
  60200: { status: 400, message: 'Invalid parameter `To`' },
  60203: { status: 429, message: 'Max send attempts reached' },
  60212: { status: 429, message: 'Too many concurrent requests for phone number' },
  60605: { status: 403, message: 'Verification delivery to this region is blocked by Geo Permissions' },
};

/**
 * A Twilio error response for `code`, with Twilio's usual HTTP status and
 * message (override either). E.g. `twilioError(21211)` → 400 `{ code: 21211, … }`.
 */
export function twilioError(
  code: number,
  override: { status?: number; message?: string } = {},
): FakeTwilioError {
  const known = TWILIO_MESSAGES[code];
  return {
    kind: 'error',
    code,
    status: override.status ?? known?.status ?? 400,
    message: override.message ?? known?.message ?? `Twilio error ${code}`,
  };
}

/** A bare HTTP failure, e.g. `httpFailure(500)` (empty body) or `httpFailure(503, '<html>…')`. */
export function httpFailure(status: number, body: string | null = null): FakeTwilioFailure {
  return { kind: 'http', status, body, contentType: 'text/html' };
}

/**
 * A Twilio `RequestClient` that sends every request to `baseUrl` instead of
 * `*.twilio.com`, keeping path, query, headers, auth and form body exactly as
 * the SDK produced them; the original host travels in `X-Twilio-Host`.
 * Pass it as `httpClient` in the SDK's client options.
 */
export function createRedirectingHttpClient(
  baseUrl: string,
  options: { timeoutMs?: number } = {},
): RequestClient {
  const target = new URL(baseUrl);
  class RedirectingRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const original = new URL(opts.uri);
      const uri = new URL(original.pathname + original.search, target);
      const headers = { ...opts.headers, 'X-Twilio-Host': original.host };
      return super.request({ ...opts, uri: uri.href, headers });
    }
  }
  return new RedirectingRequestClient({ timeout: options.timeoutMs, keepAlive: false });
}

/** The running fake. All state is per instance; nothing is global. */
export interface FakeTwilioServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: FakeTwilioRequest[];
  /** Every SMS accepted, oldest first. */
  readonly messages: FakeTwilioMessage[];
  /** Requests currently held open by a `hang` failure. */
  readonly hangingCount: number;
  /** SDK client options that route the real SDK here: `{ httpClient }`. */
  twilioOptions(options?: { timeoutMs?: number }): { httpClient: RequestClient };
  /** Fails the next requests (any endpoint, any number), one failure each, in order. */
  failNext(...failures: FakeTwilioFailure[]): void;
  /** Fails requests to `to` (Messages `To` or Verify `To`) `times` times (@default Infinity). */
  failFor(to: string, failure: FakeTwilioFailure, times?: number): void;
  /** Forgets every programmed failure. */
  clearFailures(): void;
  /** The last code sent to `to` (by Messages or Verify), or null. */
  lastCodeFor(to: string): string | null;
  /** The last message body sent to `to`, or null. */
  lastBodyFor(to: string): string | null;
  /** Answers every hung request with an HTTP 504 (so sockets close). */
  releaseHung(): void;
  /** Forgets requests, messages, failures and Verify state. */
  reset(): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** Options of {@link startFakeTwilio}. */
export interface FakeTwilioOptions {
  /**
   * When set, only these Basic credentials are accepted (others get 401,
   * code 20003, like Twilio). @default any non-empty credentials
   */
  credentials?: Array<{ username: string; password: string }>;
}

/**
 * Extracts a code from an SMS body: the origin-bound line (`@host #code`,
 * WICG one-time-code spec) if present, else the digits after "code is",
 * else the first run of 4–10 digits.
 */
export function extractCode(body: string): string | null {
  const originBound = /^@\S+ #(\S+)\s*$/m.exec(body);
  if (originBound?.[1]) return originBound[1];
  const phrase = /code is:?\s*(\d{4,10})/i.exec(body);
  if (phrase?.[1]) return phrase[1];
  return /\b(\d{4,10})\b/.exec(body)?.[1] ?? null;
}

/** Starts a fake Twilio on 127.0.0.1 with a free port. */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilioServer> {
  const requests: FakeTwilioRequest[] = [];
  const messages: FakeTwilioMessage[] = [];
  let queue: FakeTwilioFailure[] = [];
  let perNumber = new Map<string, { failure: FakeTwilioFailure; remaining: number }>();
  let verifications = new Map<string, { sid: string; serviceSid: string; code: string }>();
  const hung = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (rawBody) => handle(req, res, rawBody),
      () => res.destroy(),
    );
  });

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): undefined {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const form = Object.fromEntries(new URLSearchParams(rawBody));
    const hostHeader = req.headers['x-twilio-host'];
    const record: FakeTwilioRequest = {
      method: req.method ?? 'GET',
      path,
      twilioHost: (typeof hostHeader === 'string' ? hostHeader : req.headers.host) ?? '',
      headers: { ...req.headers },
      auth: parseBasicAuth(req.headers.authorization),
      rawBody,
      form,
    };
    requests.push(record);

    const failure = takeFailure(form['To']);
    if (failure) return fail(res, failure);

    if (!record.auth || !isAllowed(record.auth)) {
      return sendJson(res, 401, errorBody(twilioError(20003)));
    }
    const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (req.method === 'POST' && messagesPath?.[1]) return createMessage(res, messagesPath[1], form);
    const verifyPath = /^\/v2\/Services\/([^/]+)\/(Verifications|VerificationCheck)$/.exec(path);
    if (req.method === 'POST' && verifyPath?.[1] && verifyPath[2] === 'Verifications') {
      return startVerification(res, verifyPath[1], form);
    }
    if (req.method === 'POST' && verifyPath?.[1] && verifyPath[2] === 'VerificationCheck') {
      return checkVerification(res, verifyPath[1], form);
    }
    sendJson(res, 404, errorBody(twilioError(20404)));
  }

  function takeFailure(to: string | undefined): FakeTwilioFailure | undefined {
    const next = queue.shift();
    if (next) return next;
    const entry = to === undefined ? undefined : perNumber.get(to);
    if (!entry || entry.remaining <= 0) return undefined;
    entry.remaining -= 1;
    return entry.failure;
  }

  function isAllowed(auth: { username: string; password: string }): boolean {
    if (!options.credentials) return auth.username !== '' && auth.password !== '';
    return options.credentials.some((c) => c.username === auth.username && c.password === auth.password);
  }

  function fail(res: ServerResponse, failure: FakeTwilioFailure): undefined {
    switch (failure.kind) {
      case 'error':
        return sendJson(res, failure.status, errorBody(failure));
      case 'http':
        res.writeHead(failure.status, {
          'content-type': failure.contentType ?? 'text/plain',
          connection: 'close',
        });
        res.end(failure.body ?? '');
        return;
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      case 'reset':
        res.socket?.destroy();
        return;
    }
  }

  function createMessage(res: ServerResponse, accountSid: string, form: Record<string, string>): undefined {
    const to = form['To'];
    const body = form['Body'];
    const from = form['From'] ?? null;
    const messagingServiceSid = form['MessagingServiceSid'] ?? null;
    if (!to)
      return sendJson(
        res,
        400,
        errorBody(twilioError(21604, { message: "A 'To' phone number is required." })),
      );
    if (!body)
      return sendJson(res, 400, errorBody(twilioError(21602, { message: 'Message body is required.' })));
    if (!from && !messagingServiceSid) {
      return sendJson(
        res,
        400,
        errorBody(twilioError(21603, { message: "A 'From' phone number is required." })),
      );
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, to, from, messagingServiceSid, body, channel: 'messages' });
    const now = new Date().toUTCString();
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: messagingServiceSid,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: messagingServiceSid && !from ? 'accepted' : 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  }

  function startVerification(
    res: ServerResponse,
    serviceSid: string,
    form: Record<string, string>,
  ): undefined {
    const to = form['To'];
    if (!to) return sendJson(res, 400, errorBody(twilioError(60200)));
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sid = `VE${randomBytes(16).toString('hex')}`;
    verifications.set(`${serviceSid}|${to}`, { sid, serviceSid, code });
    messages.push({
      sid,
      to,
      from: null,
      messagingServiceSid: null,
      body: `Your verification code is: ${code}`,
      channel: 'verify',
    });
    sendJson(res, 201, verificationJson(sid, serviceSid, to, form['Channel'] ?? 'sms', 'pending'));
  }

  function checkVerification(
    res: ServerResponse,
    serviceSid: string,
    form: Record<string, string>,
  ): undefined {
    const to = form['To'] ?? '';
    const pending = verifications.get(`${serviceSid}|${to}`);
    // Twilio answers 404/20404 when there is no pending verification (expired, approved or never started).
    if (!pending) return sendJson(res, 404, errorBody(twilioError(20404)));
    const approved = form['Code'] === pending.code;
    if (approved) verifications.delete(`${serviceSid}|${to}`);
    sendJson(
      res,
      200,
      verificationJson(pending.sid, serviceSid, to, 'sms', approved ? 'approved' : 'pending'),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    messages,
    get hangingCount() {
      return hung.size;
    },
    twilioOptions: (opts = {}) => ({ httpClient: createRedirectingHttpClient(url, opts) }),
    failNext: (...failures) => {
      queue.push(...failures);
    },
    failFor: (to, failure, times = Number.POSITIVE_INFINITY) => {
      perNumber.set(to, { failure, remaining: times });
    },
    clearFailures: () => {
      queue = [];
      perNumber = new Map();
    },
    lastCodeFor: (to) => {
      const body = lastMessageTo(messages, to)?.body;
      return body === undefined ? null : extractCode(body);
    },
    lastBodyFor: (to) => lastMessageTo(messages, to)?.body ?? null,
    releaseHung: () => {
      for (const res of hung) sendJson(res, 504, errorBody(httpError504()));
      hung.clear();
    },
    reset: () => {
      requests.length = 0;
      messages.length = 0;
      queue = [];
      perNumber = new Map();
      verifications = new Map();
    },
    close: async () => {
      for (const res of hung) res.destroy();
      hung.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function httpError504(): { status: number; code: number; message: string } {
  return { status: 504, code: 20504, message: 'Gateway timeout' };
}

function lastMessageTo(messages: FakeTwilioMessage[], to: string): FakeTwilioMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.to === to) return message;
  }
  return undefined;
}

function errorBody(failure: { status: number; code: number; message: string }) {
  return {
    code: failure.code,
    message: failure.message,
    more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
    status: failure.status,
  };
}

function verificationJson(sid: string, serviceSid: string, to: string, channel: string, status: string) {
  const now = new Date().toISOString();
  return {
    sid,
    service_sid: serviceSid,
    account_sid: 'AC00000000000000000000000000000000',
    to,
    channel,
    status,
    valid: status === 'approved',
    amount: null,
    payee: null,
    date_created: now,
    date_updated: now,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): undefined {
  // `Connection: close` so no keep-alive socket (and its timer) outlives a test.
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  const match = /^Basic (.+)$/.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
