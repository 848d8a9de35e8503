/**
 * How SMS and e-mail leave the platform. A real gateway (a carrier's SMS platform, an SMTP relay)
 * implements `SmsSender` / `EmailSender` and is passed to `EventsService`; no provider SDK lives in
 * this module. The default adapters send nothing: the text stays in the delivery row (that is the
 * record of what would have been sent) and the log names the recipient masked.
 */
import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../../shared/identifiers.js';

export type EventLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

/** What a sender reports on success; kept in the delivery row. */
export interface SendReceipt {
  /** Which adapter sent it (`record` for the defaults). */
  provider: string;
  /** The gateway's message id, for tracing a complaint ("I never got the text"). */
  reference?: string;
}

export interface SmsMessage {
  to: string;
  text: string;
  eventId: number;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  eventId: number;
}

export interface SmsSender {
  /** Resolves when the gateway took the message; throws `DeliveryFailure` (or anything) when not. */
  send(message: SmsMessage): Promise<SendReceipt>;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<SendReceipt>;
}

/**
 * A failed attempt whose message is safe to store and show to administrators: adapters put the
 * gateway's error code here, never the recipient. Any other error is recorded by its class only.
 */
export class DeliveryFailure extends Error {
  override name = 'DeliveryFailure';
}

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '*'.repeat(address.length);
  return `${address[0]}***${address.slice(at)}`;
}

export class RecordingSmsSender implements SmsSender {
  constructor(private readonly log: EventLog) {}

  async send(message: SmsMessage): Promise<SendReceipt> {
    this.log.info({ to: maskPhone(message.to), eventId: message.eventId, chars: [...message.text].length }, 'sms recorded (no SMS gateway configured)');
    return { provider: 'record' };
  }
}

export class RecordingEmailSender implements EmailSender {
  constructor(private readonly log: EventLog) {}

  async send(message: EmailMessage): Promise<SendReceipt> {
    this.log.info({ to: maskEmail(message.to), eventId: message.eventId }, 'e-mail recorded (no mail relay configured)');
    return { provider: 'record' };
  }
}
