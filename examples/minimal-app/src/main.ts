// Runs the minimal app on http://localhost:3000 (`npm start -w @mfa-kit/example-minimal`).
// Development only: memory stores, keys generated at start (every restart forgets MFA).
import { randomBytes } from 'node:crypto';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const users = new Map([['alice', { id: 'alice', password: 'alice', roles: ['user'] }]]);
const app = createApp(users, {
  sessionSecret: randomBytes(32).toString('hex'),
  origin: `http://localhost:${port}`,
  mfa: {
    encryption: { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' },
    hashKey: randomBytes(32),
  },
});
app.listen(port, () => {
  console.log(`minimal app on http://localhost:${port} (user alice / alice)`);
});
