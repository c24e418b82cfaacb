/**
 * Creators hear about their sales and payouts: a "new sale" email in the outbox in the payment's
 * own transaction (through the real payment workflow), none for unattributed lines or a
 * self-referral, and a "payout sent" email when a payout is marked paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { creators, outboxEmails, payouts, users } from '../../../db/schema/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { applyPaymentEvent } from '../../../src/server/flows/index.ts';
import { createPayoutBatch, markPayoutPaid } from '../../../src/server/commissions/index.ts';
import { enqueueCreatorSaleEmails } from '../../../src/server/commissions/index.ts';

const DAY = 86_400_000;
const T0 = Date.now() - 60 * DAY;
const CTX = { shopName: 'Lookbook', locale: 'en-US', siteUrl: 'http://127.0.0.1:4321' };
let db: Db;
let seq = 0;

async function buy({ email, fromPost }: { email: string; fromPost: boolean }, at = T0) {
  const r = await addToBag(
    db,
    { sku: 'MAIL-TEE', qty: 1, source: fromPost ? { kind: 'post', post: 'mia-post', card: 0 } : { kind: 'direct' } },
    { now: at, checkSource: () => 'mia-mail' },
  );
  if (!r.ok) throw new Error(r.reason);
  const placed = await placeOrder(db, { cartId: r.cartId, form: { ...BUYER_FORM, email }, config: TEST_CHECKOUT, provider: 'test', now: at });
  if (!placed.ok) throw new Error('placeOrder');
  const res = await applyPaymentEvent(testApp(db), testPaymentEvent(placed.orderId, `test_cs_mail_${String(++seq).padStart(12, '0')}`, 'pay'), { now: at });
  expect(res.outcome).toBe('fulfilled');
  return placed.orderId;
}
const saleMails = (orderId: number) => db.select().from(outboxEmails).where(and(eq(outboxEmails.kind, 'creator_sale'), eq(outboxEmails.orderId, orderId)));

beforeAll(async () => {
  db = await createTestDb();
  const [c] = await db.insert(creators).values({ handle: 'mia-mail', displayName: 'Mia Mail', createdAt: T0 - DAY, referralCode: 'MIAMAIL' }).returning({ id: creators.id });
  await db.insert(users).values({ email: 'mia@creators.test', passwordHash: 'x', role: 'creator', creatorId: c!.id, createdAt: T0 - DAY });
  await makeProduct(db, { slug: 'mail-tee', name: 'Organic Cotton Tee', variants: [makeVariant({ sku: 'MAIL-TEE', size: 'M', priceCents: 2610, stock: 50 })] });
});
afterAll(() => db.$client.close());

describe('creator emails', () => {
  it('puts one "new sale" email for the credited creator in the outbox at payment', async () => {
    const orderId = await buy({ email: 'reader@example.com', fromPost: true });
    const mails = await saleMails(orderId);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe('mia@creators.test');
    expect(mails[0]!.subject).toBe('New sale: $2.61 commission — Lookbook');
    expect(mails[0]!.textBody).toContain('1 × Organic Cotton Tee (M), from a card in your post');
    expect(mails[0]!.textBody).toContain('Your dashboard: http://127.0.0.1:4321/dashboard');
    // Running it again (a redelivered event) queues nothing more.
    await db.transaction((tx) => enqueueCreatorSaleEmails(tx, orderId, CTX));
    expect(await saleMails(orderId)).toHaveLength(1);
  });

  it('sends nothing for an unattributed line or a self-referral', async () => {
    expect(await saleMails(await buy({ email: 'other@example.com', fromPost: false }))).toHaveLength(0);
    expect(await saleMails(await buy({ email: 'mia@creators.test', fromPost: true }))).toHaveLength(0);
  });

  it('emails the creator once when their payout is marked paid', async () => {
    const batch = await createPayoutBatch(db, { thresholdCents: 0, createdBy: 'admin:test', now: Date.now() });
    expect(batch.ok).toBe(true);
    const payout = (await db.select().from(payouts))[0]!;
    const email = { ...CTX, currency: 'USD' };
    expect((await markPayoutPaid(db, { payoutId: payout.id, reference: 'BANK-7', email })).ok).toBe(true);
    expect((await markPayoutPaid(db, { payoutId: payout.id, reference: 'BANK-7', email })).ok).toBe(true); // same again: no second email
    const mails = await db.select().from(outboxEmails).where(eq(outboxEmails.kind, 'creator_payout'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe('mia@creators.test');
    expect(mails[0]!.textBody).toContain(`we have paid you $${(payout.amountCents / 100).toFixed(2)}`);
    expect(mails[0]!.textBody).toContain('Payment reference: BANK-7.');
  });
});
