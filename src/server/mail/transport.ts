/**
 * How mail leaves the app (ADR 0005). Two transports, chosen by configuration:
 *
 * - `smtp`   — when SMTP_URL is set: nodemailer over SMTP (`smtp://user:pass@host:587`, `smtps://…`).
 * - `outbox` — the embedded default: `send` does nothing. The row in `outbox_emails` *is* the
 *              delivered mail, readable at /dev/mail. `deliverPending` still runs over it and marks it
 *              sent, so both modes share one code path and switching to SMTP later never mails the
 *              addresses of rows that were already "delivered" to the outbox.
 *
 * Either way, mail is first written to the outbox inside the transaction that causes it
 * (src/server/mail/outbox.ts); a transport only ever sees committed rows.
 */
import type { Transporter } from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  kind: 'outbox' | 'smtp';
  /** The configured sender (MAIL_FROM), used by `deliverPending` for every message. */
  from: string;
  /** Resolves when the server accepted the message; rejects with the reason otherwise. */
  send(msg: MailMessage): Promise<void>;
}

export interface MailTransportConfig {
  /** Unset or blank → the outbox transport. */
  smtpUrl?: string | null | undefined;
  from: string;
}

// nodemailer's defaults wait up to 2 min to connect and 10 min on an idle socket. A send must
// finish well inside the outbox claim lease (outbox.ts, CLAIM_LEASE_MS), or a second instance could
// claim and send the same row again.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as const;

/**
 * @example createMailTransport({ from: 'Lookbook <orders@lookbook.test>' }).kind // 'outbox'
 * @example createMailTransport({ smtpUrl: 'smtp://127.0.0.1:2525', from: '…' }).kind // 'smtp'
 */
export function createMailTransport({ smtpUrl, from }: MailTransportConfig): MailTransport {
  const url = smtpUrl?.trim();
  if (!url) return { kind: 'outbox', from, send: async () => {} };

  // A malformed setting is a configuration bug: say so plainly instead of a nodemailer stack trace.
  if (!/^smtps?:\/\//i.test(url)) throw new Error('SMTP_URL must start with smtp:// or smtps://');

  // nodemailer is loaded on first send, so the outbox mode (and every page) never loads it.
  let transporter: Promise<Transporter> | undefined;
  return {
    kind: 'smtp',
    from,
    async send(msg) {
      transporter ??= import('nodemailer').then((nm) => nm.createTransport({ url, ...SMTP_TIMEOUTS }));
      await (await transporter).sendMail({ from: msg.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
    },
  };
}
