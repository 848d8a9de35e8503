/**
 * Webhooks to channel systems, signed the way Stripe signs its own so that receivers can use
 * what they know:
 *
 *   POST <subscription url>
 *   Content-Type: application/json
 *   X-Tongban-Event-Id: 1234                  the event's id: the same for every retry
 *   X-Tongban-Event-Type: case.status_changed
 *   X-Tongban-Timestamp: 1764151200           Unix seconds when this attempt was signed
 *   X-Tongban-Signature: sha256=<hex>         HMAC-SHA256, keyed with the subscription secret,
 *                                             of "<timestamp>.<raw body>"
 *
 *   { "id": "1234", "type": "case.status_changed", "createdAt": "…", "data": { … } }
 *
 * A receiver recomputes the HMAC over the raw bytes it received (before any JSON parsing),
 * compares in constant time, refuses timestamps more than five minutes from its clock (a
 * captured request cannot be replayed later), and answers 2xx quickly. Delivery is at least
 * once: a retry repeats the event id, so the receiver keeps the ids it has processed and ignores
 * a repeat. Anything but a 2xx within the timeout is a failure and is retried with backoff.
 */
import { createHmac } from 'node:crypto';
import { DeliveryFailure } from './senders.js';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookCall {
  url: string;
  secret: string;
  eventId: number;
  eventType: string;
  /** The exact bytes sent and signed. */
  body: string;
  timeoutMs: number;
  now: Date;
}

/** One attempt; resolves on a 2xx, throws `DeliveryFailure` naming the reason (no body, no URL) otherwise. */
export async function postWebhook(call: WebhookCall): Promise<void> {
  const timestamp = Math.floor(call.now.getTime() / 1000);
  let status: number;
  try {
    const response = await fetch(call.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tongban-Webhooks/1',
        'x-tongban-event-id': String(call.eventId),
        'x-tongban-event-type': call.eventType,
        'x-tongban-timestamp': String(timestamp),
        'x-tongban-signature': signWebhook(call.secret, timestamp, call.body),
      },
      body: call.body,
      // A redirect is not an answer: following it would send the signed event somewhere the
      // administrator never registered.
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    status = response.status;
    // Only the status matters; the body is dropped unread so a receiver cannot make us hold it.
    await response.body?.cancel().catch(() => undefined);
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      throw new DeliveryFailure(`timeout: no answer within ${call.timeoutMs} ms`);
    }
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new DeliveryFailure(`connection failed${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (status < 200 || status > 299) throw new DeliveryFailure(`HTTP ${status}`);
}
