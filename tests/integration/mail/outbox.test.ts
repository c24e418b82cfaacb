import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateDb, openDb, schema, type Db } from '../../../src/server/db.ts';
import { MIGRATIONS } from '../../helpers/db.ts';
import {
  CLAIM_LEASE_MS,
  deliverPending,
  enqueueEmail,
  getOutboxEmail,
  listOutbox,
  retryDelayMs,
  type OutgoingEmail,
} from '../../../src/server/mail/index.ts';
import { createMailTransport, type MailMessage, type MailTransport } from '../../../src/server/mail/index.ts';
import { EMAIL_KINDS, orderConfirmationEmail } from '../../../src/server/mail/index.ts';

const { outboxEmails } = schema;
const T = Date.UTC(2026, 10, 1, 12, 0, 0);
const FROM = 'Lookbook <orders@lookbook.test>';

// Two handles on one database file: two app instances.
let db: Db;
let db2: Db;

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'lookbook-mail-')), 'test.db')}`;
  db = await openDb({ url });
  await migrateDb(db, MIGRATIONS);
  db2 = await openDb({ url });
});
afterAll(() => {
  db.$client.close();
  db2.$client.close();
});
beforeEach(async () => {
  await db.delete(outboxEmails);
});

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'ada@example.com',
  subject: 'Order LB-TEST confirmed',
  text: 'Thanks!',
  html: '<p>Thanks!</p>',
  kind: EMAIL_KINDS.orderConfirmation,
  ...over,
});

/** A transport that records what it was asked to send, optionally slowly or failing. */
function fakeTransport({ delayMs = 0, fail }: { delayMs?: number; fail?: () => boolean } = {}) {
  const calls: MailMessage[] = [];
  const transport: MailTransport = {
    kind: 'smtp',
    from: FROM,
    async send(msg) {
      calls.push(msg);
      if (delayMs) await sleep(delayMs);
      if (fail?.()) throw new Error('421 4.3.0 try again later');
    },
  };
  return { transport, calls };
}

const row = (id: number) => db.select().from(outboxEmails).where(eq(outboxEmails.id, id)).get();

describe('enqueueEmail', () => {
  it('writes a row that commits with the transaction', async () => {
    const id = await db.transaction((tx) => enqueueEmail(tx, email({ to: ' ada@example.com ' }), T));
    expect(await row(id)).toMatchObject({ toAddress: 'ada@example.com', kind: 'order_confirmation', createdAt: T, sentAt: null, attempts: 0, lastError: null, orderId: null });
  });

  it('writes nothing when the transaction rolls back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, email(), T);
        throw new Error('payment write failed');
      }),
    ).rejects.toThrow('payment write failed');
    expect(await db.select().from(outboxEmails).all()).toHaveLength(0);
  });

  it('rejects an empty recipient (a bug upstream), rolling back the change', async () => {
    await expect(db.transaction((tx) => enqueueEmail(tx, email({ to: '  ' }), T))).rejects.toThrow(TypeError);
    expect(await db.select().from(outboxEmails).all()).toHaveLength(0);
  });
});

describe('deliverPending', () => {
  it('sends each pending row once, marks it sent, and does nothing the second time', async () => {
    const a = await enqueueEmail(db, email({ to: 'a@example.com' }), T);
    const b = await enqueueEmail(db, email({ to: 'b@example.com' }), T);
    const { transport, calls } = fakeTransport();

    expect(await deliverPending(db, transport, { now: T + 10 })).toEqual({ sent: 2, failed: 0 });
    expect(calls.map((c) => c.to)).toEqual(['a@example.com', 'b@example.com']);
    expect(calls[0]).toEqual({ from: FROM, to: 'a@example.com', subject: 'Order LB-TEST confirmed', text: 'Thanks!', html: '<p>Thanks!</p>' });
    expect(await row(a)).toMatchObject({ sentAt: T + 10, attempts: 1, lastError: null });
    expect((await row(b))?.sentAt).not.toBeNull();

    expect(await deliverPending(db, transport, { now: T + 20 })).toEqual({ sent: 0, failed: 0 });
    expect(calls).toHaveLength(2);
  });

  it('sends once when two instances run at the same time', async () => {
    for (let i = 0; i < 5; i++) await enqueueEmail(db, email({ to: `r${i}@example.com` }), T);
    const { transport, calls } = fakeTransport({ delayMs: 15 });

    const results = await Promise.all([
      deliverPending(db, transport, { now: T }),
      deliverPending(db2, transport, { now: T }),
      deliverPending(db, transport, { now: T }),
    ]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(5);
    expect(calls.map((c) => c.to).sort()).toEqual(['r0@example.com', 'r1@example.com', 'r2@example.com', 'r3@example.com', 'r4@example.com']);
    const rows = await db.select().from(outboxEmails).all();
    expect(rows.every((r) => r.sentAt !== null && r.attempts === 1)).toBe(true);
  });

  it('leaves a row alone while another instance is sending it, and takes it over if that sender died', async () => {
    const id = await enqueueEmail(db, email(), T);
    let release!: () => void;
    const slow: MailTransport = { kind: 'smtp', from: FROM, send: () => new Promise<void>((r) => (release = r)) };
    const first = deliverPending(db, slow, { now: T });
    while (!release) await sleep(2); // the first pass has claimed the row and is mid-send

    const other = fakeTransport();
    expect(await deliverPending(db2, other.transport, { now: T + 1000 })).toEqual({ sent: 0, failed: 0 });
    expect((await getOutboxEmail(db, id, T + 1000))?.status).toBe('sending');

    // Past the lease the row counts as abandoned (its sender crashed) and is sent again. (The lease
    // runs from the claim, which is `now` plus the pass's own elapsed time: look a minute past it,
    // so a slow, loaded machine does not make the claim look younger than it is.)
    const past = T + CLAIM_LEASE_MS + 60_000;
    expect((await getOutboxEmail(db, id, past))?.status).toBe('pending');
    expect(await deliverPending(db2, other.transport, { now: past })).toEqual({ sent: 1, failed: 0 });
    expect(other.calls).toHaveLength(1);

    release();
    expect(await first).toEqual({ sent: 1, failed: 0 }); // at-least-once: the slow sender also got through
    expect(await row(id)).toMatchObject({ attempts: 2, lastError: null });
  });

  it('records a failure and retries after the backoff, not before', async () => {
    const id = await enqueueEmail(db, email(), T);
    const failing = fakeTransport({ fail: () => true });
    expect(await deliverPending(db, failing.transport, { now: T })).toEqual({ sent: 0, failed: 1 });

    const failed = await getOutboxEmail(db, id, T);
    expect(failed).toMatchObject({ status: 'retrying', attempts: 1, sentAt: null, lastError: '421 4.3.0 try again later', nextAttemptAt: T + retryDelayMs(1) });
    expect((await row(id))?.lastError).toContain('421 4.3.0 try again later');

    const working = fakeTransport();
    expect(await deliverPending(db, working.transport, { now: T + 1000 })).toEqual({ sent: 0, failed: 0 });
    expect(working.calls).toHaveLength(0);

    expect(await deliverPending(db, working.transport, { now: T + retryDelayMs(1) })).toEqual({ sent: 1, failed: 0 });
    expect(await getOutboxEmail(db, id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('gives up after maxAttempts and keeps the row, marked failed', async () => {
    const id = await enqueueEmail(db, email(), T);
    const failing = fakeTransport({ fail: () => true });
    expect(await deliverPending(db, failing.transport, { now: T, maxAttempts: 2 })).toEqual({ sent: 0, failed: 1 });
    expect(await deliverPending(db, failing.transport, { now: T + retryDelayMs(1), maxAttempts: 2 })).toEqual({ sent: 0, failed: 1 });
    expect(await getOutboxEmail(db, id)).toMatchObject({ status: 'failed', attempts: 2, lastError: '421 4.3.0 try again later', nextAttemptAt: null });
    expect(await deliverPending(db, fakeTransport().transport, { now: T + 86_400_000, maxAttempts: 2 })).toEqual({ sent: 0, failed: 0 });
  });

  it('respects the limit, oldest first', async () => {
    for (let i = 0; i < 3; i++) await enqueueEmail(db, email({ to: `r${i}@example.com` }), T + i);
    const { transport, calls } = fakeTransport();
    expect(await deliverPending(db, transport, { now: T + 10, limit: 2 })).toEqual({ sent: 2, failed: 0 });
    expect(calls.map((c) => c.to)).toEqual(['r0@example.com', 'r1@example.com']);
  });

  it('with the outbox transport, marks rows sent without sending anything', async () => {
    const transport = createMailTransport({ from: FROM });
    expect(transport.kind).toBe('outbox');
    const id = await enqueueEmail(db, email(), T);
    expect(await deliverPending(db, transport, { now: T + 5 })).toEqual({ sent: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ sentAt: T + 5, attempts: 1 });
  });
});

describe('dev mailbox reads', () => {
  it('lists newest first with a total, and returns one email with both bodies', async () => {
    const old = await enqueueEmail(db, email({ subject: 'old' }), T);
    const mid = await enqueueEmail(db, email({ subject: 'mid' }), T + 1);
    const young = await enqueueEmail(db, email({ subject: 'new' }), T + 2);
    const page = await listOutbox(db, { limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.emails.map((e) => e.id)).toEqual([young, mid]);
    expect(page.emails[0]).toMatchObject({ to: 'ada@example.com', subject: 'new', kind: 'order_confirmation', status: 'pending', createdAt: T + 2 });
    expect((await listOutbox(db, { limit: 2, offset: 2 })).emails.map((e) => e.id)).toEqual([old]);

    expect(await getOutboxEmail(db, mid)).toMatchObject({ id: mid, subject: 'mid', text: 'Thanks!', html: '<p>Thanks!</p>' });
    expect(await getOutboxEmail(db, 999_999)).toBeNull();
    expect(await getOutboxEmail(db, Number.NaN)).toBeNull();
  });
});

// --- SMTP -----------------------------------------------------------------------------------------

interface Received {
  mailFrom: string;
  rcptTo: string[];
  data: string;
}

/** Just enough of an SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). */
async function startSmtpServer({ rejectRcpt = false } = {}) {
  const received: Received[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current: Received = { mailFrom: '', rcptTo: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test.local ESMTP ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          // Undo dot-stuffing (RFC 5321 §4.5.2).
          current.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { mailFrom: '', rcptTo: [], data: '' };
          reply('250 2.0.0 Ok: queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') reply('250-test.local\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 test.local');
        else if (verb === 'MAIL') {
          current.mailFrom = line.slice(10).trim();
          reply('250 2.1.0 Ok');
        } else if (verb === 'RCPT') {
          if (rejectRcpt) reply('550 5.1.1 No such user');
          else {
            current.rcptTo.push(line.slice(8).trim());
            reply('250 2.1.5 Ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'RSET') {
          current = { mailFrom: '', rcptTo: [], data: '' };
          reply('250 2.0.0 Ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 Ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        } else reply('502 5.5.2 Command not recognized');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SMTP transport', () => {
  it('delivers an outbox row over SMTP with text and HTML parts', async () => {
    const smtp = await startSmtpServer();
    try {
      const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM });
      expect(transport.kind).toBe('smtp');
      const mail = orderConfirmationEmail({
        shopName: 'Lookbook',
        number: 'LB-SMTP-TEST',
        email: 'ada@example.com',
        currency: 'USD',
        locale: 'en-US',
        lines: [{ title: 'Wool coat', variantLabel: 'M', qty: 1, unitPriceCents: 30000, subtotalCents: 30000 }],
        subtotalCents: 30000,
        discountCents: 0,
        shippingCents: 0,
        totalCents: 30000,
        shippingLabel: 'Standard',
        shipTo: { name: 'Ada Lovelace', line1: '1 Lane', city: 'Portland', postcode: '97201', country: 'US' },
        orderUrl: 'https://shop.example/orders/LB-SMTP-TEST',
      });
      const id = await enqueueEmail(db, { to: 'ada@example.com', ...mail, kind: EMAIL_KINDS.orderConfirmation }, T);

      expect(await deliverPending(db, transport, { now: T })).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      const [msg] = smtp.received;
      expect(msg!.mailFrom).toContain('orders@lookbook.test');
      expect(msg!.rcptTo).toEqual(['<ada@example.com>']);
      expect(msg!.data).toMatch(/^From: Lookbook <orders@lookbook\.test>$/m);
      expect(msg!.data).toMatch(/^To: ada@example\.com$/m);
      expect(msg!.data).toMatch(/^Subject: .*LB-SMTP-TEST/m);
      expect(msg!.data).toMatch(/^Content-Type: multipart\/alternative/m);
      expect(msg!.data).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
      expect(msg!.data).toMatch(/^Content-Type: text\/html; charset=utf-8$/m);
      expect(msg!.data).toContain('Order LB-SMTP-TEST');
      expect(msg!.data).toContain('<!doctype html>');
      expect((await row(id))?.sentAt).toBe(T);
    } finally {
      await smtp.close();
    }
  });

  it('records the server refusal as the error and leaves the row for a retry', async () => {
    const smtp = await startSmtpServer({ rejectRcpt: true });
    try {
      const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM });
      const id = await enqueueEmail(db, email(), T);
      expect(await deliverPending(db, transport, { now: T })).toEqual({ sent: 0, failed: 1 });
      const e = await getOutboxEmail(db, id, T);
      expect(e).toMatchObject({ status: 'retrying', sentAt: null, attempts: 1 });
      expect(e?.lastError).toContain('550');
    } finally {
      await smtp.close();
    }
  });

  it('uses the outbox for a blank SMTP_URL and refuses a URL that is not smtp(s)', () => {
    expect(createMailTransport({ smtpUrl: '  ', from: FROM }).kind).toBe('outbox');
    expect(() => createMailTransport({ smtpUrl: 'http://mail.example', from: FROM })).toThrow(/smtp:\/\//);
  });
});
