import type { Clock } from '@mfa-kit/core';

/** One message the example "sent": an SMS or an e-mail. */
export interface InboxMessage {
  id: number;
  kind: 'sms' | 'email';
  to: string;
  /** For e-mails. */
  subject: string | null;
  body: string;
  /** For e-mails: a link inside the app (e.g. an unlock link). */
  link: string | null;
  time: number;
}

/** Where the example delivers SMS codes and unlock e-mails in development, shown at `/dev/inbox`. */
export interface DevInbox {
  /** Stores a message, stamped with the injected clock's time. */
  add(message: Omit<InboxMessage, 'id' | 'time'>): InboxMessage;
  /** Newest first. */
  list(): InboxMessage[];
}

/** An in-memory inbox that keeps the newest `capacity` messages. */
export function createDevInbox(clock: Clock, capacity = 200): DevInbox {
  const messages: InboxMessage[] = [];
  let nextId = 1;
  return {
    add(message) {
      const stored = { ...message, id: nextId++, time: clock.now() };
      messages.unshift(stored);
      messages.length = Math.min(messages.length, capacity);
      return stored;
    },
    list: () => [...messages],
  };
}
