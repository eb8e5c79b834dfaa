import { afterAll, afterEach } from 'vitest';
import { type FakeTwilioServer, startFakeTwilio } from './twilio-server.js';

/**
 * One fake Twilio API for the calling test file: started now (call it with a
 * top-level `await`), its recorded requests and queued failures cleared after
 * each test, closed after the file's tests.
 */
export async function startFakeTwilioForFile(): Promise<FakeTwilioServer> {
  const fake = await startFakeTwilio();
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });
  return fake;
}
