/**
 * The transactional outbox (ADR 0005).
 *
 * 1. `enqueueEmail` inserts the message INSIDE the transaction that makes the change it reports
 *    (order paid, shipped, refunded). Roll back the change and the email never existed; commit it
 *    and the email cannot be lost.
 * 2. `deliverPending` sends committed, unsent rows through the configured transport. Run it after
 *    the commit (fire and forget) and from a sweeper; it is idempotent and safe on several
 *    instances at once. Delivery is at-least-once: a process that dies between the SMTP server's
 *    "250 OK" and the `sent_at` write sends that one message again after the lease lapses.
 *
 * Claiming. Each row is claimed right before it is sent with one conditional UPDATE
 * (`sent_at is null and attempts = <read> and due`) that bumps `attempts` and writes a lease. Only
 * one instance's UPDATE can match; the others skip the row. The lease keeps the row out of every
 * other pass while it is being sent, and lets a row whose sender crashed be picked up again later.
 *
 * Where the lease and the retry time live. `outbox_emails` has no "not before" column, so a due
 * time is written at the front of `last_error` as `@<epoch ms> <text>`:
 *   `@1767225600000 (claimed for delivery)`  — in flight until then;
 *   `@1767225660000 connect ECONNREFUSED …`  — failed, retried from then on (backoff).
 * A row is due when `last_error` has no such prefix or its time has passed. Only this module reads
 * or writes that prefix; `listOutbox`/`getOutboxEmail` return the parsed state. (A dedicated
 * `next_attempt_at` column would be cleaner; swapping it in touches only this file.)
 */
import { and, asc, count, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { outboxEmails } from '../../../db/schema/index.ts';
import type { MailTransport } from './transport.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What the email is about, e.g. EMAIL_KINDS.orderConfirmation ('order_confirmation'). */
  kind: string;
  orderId?: number | null;
}

/** Attempts before a row is given up on (then it stays in the outbox, marked failed). */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** How long a claimed row is reserved for its sender; well above the SMTP timeouts in transport.ts. */
export const CLAIM_LEASE_MS = 2 * 60_000;
const CLAIMED = '(claimed for delivery)';
const ERROR_MAX = 500;

/**
 * Wait before retry number `attempts` (1 min, 4 min, 16 min, 64 min, capped at 6 h), so an SMTP
 * outage is waited out instead of burning every attempt in the next few passes.
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 4 ** Math.max(attempts - 1, 0), 6 * 60 * 60_000);
}

/**
 * Adds an email to the outbox and returns its id. Call it with the transaction that makes the
 * change the email reports, so both commit or neither does.
 * @example await db.transaction(async (tx) => { await markPaid(tx, id); await enqueueEmail(tx, { … }); });
 */
export async function enqueueEmail(db: DbOrTx, msg: OutgoingEmail, now = Date.now()): Promise<number> {
  // An empty address can only come from a bug upstream; failing here rolls back the whole change.
  if (!msg.to.trim()) throw new TypeError('enqueueEmail: empty recipient');
  const [row] = await db
    .insert(outboxEmails)
    .values({
      toAddress: msg.to.trim(),
      subject: msg.subject,
      textBody: msg.text,
      htmlBody: msg.html,
      kind: msg.kind,
      orderId: msg.orderId ?? null,
      createdAt: now,
    })
    .returning({ id: outboxEmails.id });
  return row!.id;
}

export interface DeliverOptions {
  limit?: number;
  now?: number;
  maxAttempts?: number;
}

/**
 * Sends up to `limit` due, unsent rows (oldest first) through `transport`: marks `sent_at` on
 * success; on failure records `last_error` and a retry time. With the outbox transport `send` does
 * nothing, so the pass just marks the rows sent (they are "delivered" to the dev mailbox).
 * `failed` counts send attempts that failed in this pass.
 */
export async function deliverPending(
  db: Db,
  transport: MailTransport,
  { limit = 20, now = Date.now(), maxAttempts = DEFAULT_MAX_ATTEMPTS }: DeliverOptions = {},
): Promise<{ sent: number; failed: number }> {
  // Recorded times (sent_at, retry times) use the pass's `now`, so they are deterministic in tests.
  // Leases also count the real time the pass has run, so one taken after several slow sends still
  // lasts its full length.
  const started = Date.now();
  const leaseUntil = () => now + (Date.now() - started) + CLAIM_LEASE_MS;

  const due = await db
    .select()
    .from(outboxEmails)
    .where(and(isNull(outboxEmails.sentAt), lt(outboxEmails.attempts, maxAttempts), dueSql(now)))
    .orderBy(asc(outboxEmails.id))
    .limit(limit)
    .all();

  let sent = 0;
  let failed = 0;
  for (const row of due) {
    const attempts = row.attempts + 1;
    const claimed = await db
      .update(outboxEmails)
      .set({ attempts, lastError: withDueTime(leaseUntil(), CLAIMED) })
      .where(and(eq(outboxEmails.id, row.id), isNull(outboxEmails.sentAt), eq(outboxEmails.attempts, row.attempts), dueSql(now)))
      .returning({ id: outboxEmails.id });
    if (claimed.length === 0) continue; // another pass got there first

    try {
      await transport.send({ from: transport.from, to: row.toAddress, subject: row.subject, text: row.textBody, html: row.htmlBody });
    } catch (err) {
      failed++;
      const message = errorMessage(err);
      // After the last attempt the row keeps the plain message and is never picked up again.
      const lastError = attempts >= maxAttempts ? message : withDueTime(now + retryDelayMs(attempts), message);
      await db
        .update(outboxEmails)
        .set({ lastError })
        .where(and(eq(outboxEmails.id, row.id), isNull(outboxEmails.sentAt), eq(outboxEmails.attempts, attempts)));
      continue;
    }

    await db
      .update(outboxEmails)
      .set({ sentAt: now, lastError: null })
      .where(and(eq(outboxEmails.id, row.id), isNull(outboxEmails.sentAt)));
    sent++;
  }
  return { sent, failed };
}

// --- reading (dev mailbox) ----------------------------------------------------------------------

export type OutboxStatus = 'sent' | 'pending' | 'sending' | 'retrying' | 'failed';

export interface OutboxSummary {
  id: number;
  to: string;
  subject: string;
  kind: string;
  orderId: number | null;
  createdAt: number;
  sentAt: number | null;
  attempts: number;
  status: OutboxStatus;
  /** The last send error without the internal due-time prefix; null when none. */
  lastError: string | null;
  /** When a `sending` lease lapses or a `retrying` row is next tried; otherwise null. */
  nextAttemptAt: number | null;
}

export interface OutboxEmail extends OutboxSummary {
  text: string;
  html: string;
}

const summaryColumns = {
  id: outboxEmails.id,
  toAddress: outboxEmails.toAddress,
  subject: outboxEmails.subject,
  kind: outboxEmails.kind,
  orderId: outboxEmails.orderId,
  createdAt: outboxEmails.createdAt,
  sentAt: outboxEmails.sentAt,
  attempts: outboxEmails.attempts,
  lastError: outboxEmails.lastError,
};

type SummaryRow = { id: number; toAddress: string; subject: string; kind: string; orderId: number | null; createdAt: number; sentAt: number | null; attempts: number; lastError: string | null };

/** Newest first, for the dev mailbox. */
export async function listOutbox(
  db: DbOrTx,
  { limit = 50, offset = 0 }: { limit?: number; offset?: number } = {},
  now = Date.now(),
): Promise<{ emails: OutboxSummary[]; total: number }> {
  const rows = await db
    .select(summaryColumns)
    .from(outboxEmails)
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(limit)
    .offset(offset)
    .all();
  const [totalRow] = await db.select({ n: count() }).from(outboxEmails).all();
  return { emails: rows.map((r) => summarise(r, now)), total: totalRow?.n ?? 0 };
}

/** One email with both bodies, or null. */
export async function getOutboxEmail(db: DbOrTx, id: number, now = Date.now()): Promise<OutboxEmail | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await db.select().from(outboxEmails).where(eq(outboxEmails.id, id)).get();
  if (!row) return null;
  return { ...summarise(row, now), text: row.textBody, html: row.htmlBody };
}

// --- the due-time prefix ------------------------------------------------------------------------

function withDueTime(at: number, text: string): string {
  return `@${Math.round(at)} ${text}`;
}

/** Splits `@<ms> <text>` into its parts; a value without the prefix is all text. */
export function parseLastError(value: string | null): { dueAt: number | null; text: string | null } {
  if (value === null) return { dueAt: null, text: null };
  const m = /^@(\d+) ([\s\S]*)$/.exec(value);
  return m ? { dueAt: Number(m[1]), text: m[2]! } : { dueAt: null, text: value };
}

/** True when the row may be (re)tried at `now`: no due-time prefix, or its time has passed. */
function dueSql(now: number): SQL {
  const col = outboxEmails.lastError;
  return sql`(${col} is null or substr(${col}, 1, 1) <> '@' or cast(substr(${col}, 2, instr(${col}, ' ') - 2) as integer) <= ${now})`;
}

function summarise(r: SummaryRow, now: number): OutboxSummary {
  const { dueAt, text } = parseLastError(r.lastError);
  let status: OutboxStatus;
  let lastError = text;
  let nextAttemptAt: number | null = null;
  if (r.sentAt !== null) {
    status = 'sent';
  } else if (text === CLAIMED) {
    // A lapsed lease means the sender died mid-send; the row is simply due again.
    status = dueAt !== null && dueAt > now ? 'sending' : 'pending';
    nextAttemptAt = status === 'sending' ? dueAt : null;
    lastError = null;
  } else if (text !== null && dueAt === null) {
    // deliverPending writes a retry time after every failure except the last one.
    status = 'failed';
  } else if (text !== null) {
    status = 'retrying';
    nextAttemptAt = dueAt;
  } else {
    status = 'pending';
  }
  return {
    id: r.id,
    to: r.toAddress,
    subject: r.subject,
    kind: r.kind,
    orderId: r.orderId,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    attempts: r.attempts,
    status,
    lastError,
    nextAttemptAt,
  };
}

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message || 'unknown error').replace(/\s+/g, ' ').slice(0, ERROR_MAX);
}
