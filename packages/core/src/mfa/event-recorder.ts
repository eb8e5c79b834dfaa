import type { Actor, EventDetails, EventType, MfaEvent, NewMfaEvent } from '../events.js';
import type { Clock } from '../ports/clock.js';
import type { EventLog } from '../ports/event-log.js';
import type { MfaUser, RequestContext } from '../types.js';

/** Who and where an event is about. */
export interface EventSubject {
  user?: MfaUser | null;
  /** When there is no {@link MfaUser} at hand (e.g. an unlock token names only the id). */
  userId?: string | null;
  /** The user's organisation when only `userId` is at hand: every event about a user carries its org, so org-scoped admins see it. */
  orgId?: string | null;
  ctx?: RequestContext | undefined;
  actor?: Actor | null;
}

/** A listener passed to `mfa.events.subscribe`. */
export type EventListener = (event: MfaEvent) => void;

/**
 * The single path by which an instance records events: append to the log,
 * then tell in-process subscribers. Appending failures reject (callers fail
 * closed, and an unrecorded ACCOUNT_LOCK stays `eventPending` in the store);
 * subscriber failures are swallowed so an app's logger can't break sign-in.
 */
export interface EventRecorder {
  emit<T extends EventType>(type: T, details: EventDetails[T], subject: EventSubject): Promise<MfaEvent>;
  /** Records an event built elsewhere (e.g. SESSION_EXPIRED from the express layer). */
  record(event: NewMfaEvent): Promise<MfaEvent>;
  subscribe(listener: EventListener): () => void;
}

/** Builds the recorder of one instance (subscribers are per instance, never global). */
export function createEventRecorder(log: EventLog, clock: Clock): EventRecorder {
  const listeners = new Set<EventListener>();

  function notify(event: MfaEvent): void {
    for (const listener of listeners) {
      try {
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch(() => undefined);
      } catch {
        // A subscriber is the app's logger or forwarder; its failure must not change an MFA decision.
      }
    }
  }

  async function record(event: NewMfaEvent): Promise<MfaEvent> {
    const stored = await log.append({ ...event, time: event.time ?? clock.now() });
    notify(stored);
    return stored;
  }

  return {
    record,
    emit(type, details, subject) {
      const event = {
        type,
        details,
        userId: subject.user?.id ?? subject.userId ?? null,
        orgId: subject.user?.orgId ?? subject.orgId ?? null,
        ip: subject.ctx?.ip ?? null,
        userAgent: subject.ctx?.userAgent ?? null,
        actor: subject.actor ?? null,
      } as NewMfaEvent;
      return record(event);
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const wrapped: EventListener = (event) => listener(event);
      listeners.add(wrapped);
      return () => {
        listeners.delete(wrapped);
      };
    },
  };
}
