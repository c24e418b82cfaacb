/**
 * Wishlists and restock alerts as readers meet them, in Chromium (docs/decisions/0053-wishlists-alerts-boards.md):
 * - a guest opens a creator's post whose card is sold out in every size, follows "Tell me when it’s
 *   back" to the product page (keeping the card's credit), asks by email for size M; the size is
 *   restocked and the alert check runs; the email's link opens the alert's page, the reader adds
 *   to the bag, checks out and pays with the test provider — and the order line is credited
 *   ("saved") to that post's creator;
 * - a guest saves a piece from a post's card and finds it on /wishlist, saved from that post.
 * Everything the spec needs is made here (unique names), so it runs alone or in any order.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { orderLines, outboxEmails, products, savedItems, stockAlerts } from '../../db/schema/index.ts';
import { sendDueAlerts } from '../../src/server/flows/index.ts';
import { e2eDb, newPage, openEmail, waitForEmail } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, e2eTwoSizeProduct, setStock, uniqueTag } from './helpers/fixtures.ts';
import { checkoutAndPayAsGuest, e2eApp, e2ePostWithCard, READER_UA } from './helpers/social.ts';

/** A normal desktop browser: HeadlessChrome's own user agent counts as a bot and is never credited. */
const DESKTOP = { userAgent: READER_UA, viewport: { width: 1366, height: 900 } };

/** A two-size coat, both sizes sold out (the catalog version bumped, as every catalog write does). */
const soldOutCoat = () => e2eTwoSizeProduct({ name: 'Alert Coat', stock: 0 });

describe('wishlist and alerts', () => {
  test('sold-out card → restock alert by email → restocked → the email’s link → bought and paid: credited to the post', async () => {
    const maker = await e2eCreator();
    const coat = await soldOutCoat();
    const post = await e2ePostWithCard(maker, coat.slug);
    const email = `alert-${coat.tag}@example.com`;
    const db = await e2eDb();

    // The card in the post says sold out and offers the alert.
    const reader = await newPage(DESKTOP);
    await reader.goto(`/posts/${post.slug}`);
    const card = reader.locator(`[data-product="${coat.slug}"]`).first();
    expect(await card.getByRole('button', { name: 'Sold out' }).isDisabled()).toBe(true);
    await Promise.all([reader.waitForURL((u) => u.pathname === `/products/${coat.slug}`), card.getByRole('link', { name: /Tell me when it’s back/ }).click()]);
    const landed = new URL(reader.url());
    expect(landed.searchParams.get('post')).toBe(post.slug);
    expect(landed.searchParams.get('card')).toBe('0');

    // On the product page: choose M, give an email, ask.
    const form = reader.getByRole('form', { name: 'Tell me when it’s back in my size' });
    expect(await form.innerText()).toContain('Sold out for now.');
    await form.getByLabel('Size').selectOption(coat.skus.M);
    await form.getByLabel('Your email').fill(email);
    await Promise.all([reader.waitForURL((u) => u.pathname === '/alerts'), form.getByRole('button', { name: 'Tell me when it’s back in my size' }).click()]);
    await reader.getByRole('heading', { name: 'We’ll tell you when it’s back' }).waitFor();
    expect(await reader.getByRole('status').filter({ hasText: 'we’ll send one email' }).innerText()).toBe(`When ${coat.name} is back in your size, we’ll send one email to ${email}.`);
    const alerts = await db.select().from(stockAlerts).where(eq(stockAlerts.productId, coat.id));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'restock', sendTo: email, sourcePost: post.slug, sourceCard: 0, sourceCreatorId: maker.id, sentAt: null });

    // Asking again says it is already set and writes nothing.
    await reader.goBack();
    const again = reader.getByRole('form', { name: 'Tell me when it’s back in my size' });
    await again.getByLabel('Size').selectOption(coat.skus.M);
    await again.getByLabel('Your email').fill(email.toUpperCase());
    await Promise.all([reader.waitForURL((u) => u.pathname === '/alerts'), again.getByRole('button', { name: 'Tell me when it’s back in my size' }).click()]);
    await reader.getByRole('heading', { name: 'This alert is already set' }).waitFor();
    expect(await db.select().from(stockAlerts).where(eq(stockAlerts.productId, coat.id))).toHaveLength(1);

    // The shop restocks M (as the admin's save does, catalog version bumped) and the alert check runs.
    await setStock({ [coat.skus.M]: 3 });
    await sendDueAlerts(await e2eApp(), { productIds: [coat.id] }); // (the server's sweeper may beat it to it: either way, one email)
    const row = await waitForEmail(reader, { to: email, kind: 'wishlist_alert' });
    const mail = await openEmail(reader, row.id);
    expect(mail.subject).toBe(`Back in stock: ${coat.name} (M)`);
    expect(await db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, email), eq(outboxEmails.kind, 'wishlist_alert')))).toHaveLength(1);
    const alertLink = mail.links.map((l) => new URL(l)).find((u) => /^\/alerts\/[A-Za-z0-9_-]{43}$/.test(u.pathname));
    expect(alertLink).toBeDefined();
    expect(mail.links.map((l) => new URL(l).pathname)).toContain(`${alertLink!.pathname}/unsubscribe`);

    // The email's link: the piece now, from whose post, M chosen; add to bag.
    await reader.goto(alertLink!.pathname);
    await reader.getByRole('heading', { level: 1, name: coat.name }).waitFor();
    expect(await reader.locator('main').innerText()).toContain(`You asked about this from ${maker.displayName}’s post “${post.title}”.`);
    expect(await reader.getByLabel('Size').inputValue()).toBe(coat.skus.M);
    await Promise.all([reader.waitForURL((u) => u.pathname === '/bag'), reader.getByRole('button', { name: 'Add to bag' }).click()]);
    expect(await reader.locator('main').innerText()).toContain(coat.name);

    // Checkout as a guest, pay with the test provider.
    await checkoutAndPayAsGuest(reader, { email, name: 'Ada Alert', line1: '9 Restock Road' });

    const sentAt = (await db.select({ sentAt: stockAlerts.sentAt }).from(stockAlerts).where(eq(stockAlerts.productId, coat.id)).get())!.sentAt;
    expect(sentAt).not.toBeNull();
    const line = await db.select().from(orderLines).where(eq(orderLines.sku, coat.skus.M)).get();
    expect(line).toMatchObject({ qty: 1, sourcePost: post.slug, sourceCard: 0, sourceCreatorId: maker.id, sourceSavedAt: sentAt, attributionSource: 'saved', attributionRef: post.slug, creditedCreatorId: maker.id });

    // "Stop alerts" from the email, in another browser (no session, no cookie): opening it changes
    // nothing; the button does; a broken link says so.
    const elsewhere = await newPage(DESKTOP);
    await elsewhere.goto(`${alertLink!.pathname}/unsubscribe`);
    await elsewhere.getByRole('heading', { name: `Stop alerts to ${email}?` }).waitFor();
    const unsubscribedAt = async () => (await db.select({ u: stockAlerts.unsubscribedAt }).from(stockAlerts).where(eq(stockAlerts.productId, coat.id)).get())!.u;
    expect(await unsubscribedAt()).toBeNull();
    await Promise.all([elsewhere.waitForLoadState('load'), elsewhere.getByRole('button', { name: 'Stop alerts' }).click()]);
    await elsewhere.getByRole('heading', { name: 'Alerts stopped' }).waitFor();
    expect(await elsewhere.getByRole('status').filter({ hasText: 'Done:' }).innerText()).toBe(`Done: there are no alerts waiting for ${email}.`);
    expect(await unsubscribedAt()).not.toBeNull();
    const broken = await elsewhere.goto(`/alerts/${'x'.repeat(43)}/unsubscribe`);
    expect(broken?.status()).toBe(404);
    await elsewhere.getByRole('heading', { name: 'This link can’t stop any alerts' }).waitFor();
  }, 90_000);

  test('a guest saves a piece from a post’s card and finds it on /wishlist, saved from that post', async () => {
    const maker = await e2eCreator();
    const item = await e2eProduct({ stock: 4, priceCents: 3900, name: `Saved Tote ${uniqueTag().toUpperCase()}` });
    const post = await e2ePostWithCard(maker, item.slug);
    const reader = await newPage(DESKTOP);

    await reader.goto('/wishlist');
    expect(await reader.locator('main').innerText()).toContain('Nothing saved yet.');

    await reader.goto(`/posts/${post.slug}`);
    const card = reader.locator(`[data-product="${item.slug}"]`).first();
    await card.getByRole('button', { name: `Save ${item.name} to your wishlist` }).click();
    await expect.poll(() => card.locator('[data-save-message]').innerText()).toBe('Saved to your wishlist.');

    const db = await e2eDb();
    const productId = (await db.select({ id: products.id }).from(products).where(eq(products.slug, item.slug)).get())!.id;
    const saved = await db.select().from(savedItems).where(eq(savedItems.productId, productId));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ userId: null, sourcePost: post.slug, sourceCard: 0, sourceCreatorId: maker.id, priceSeenCents: 3900 });
    expect(saved[0]!.guestListId).toMatch(/^[A-Za-z0-9_-]{24}$/);

    await reader.goto('/wishlist');
    const entry = reader.getByRole('listitem').filter({ has: reader.getByRole('heading', { name: item.name }) });
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toContain('$39.00');
    expect(text).toContain(`Saved from ${maker.displayName}’s post “${post.title}” on`);
    expect(text).toMatch(new RegExp(`Buy by .+ and ${maker.displayName} is credited\\.`));
    expect(await entry.getByRole('button', { name: 'Add to bag' }).isEnabled()).toBe(true);

    // Another visitor (no cookie) has an empty list.
    const stranger = await newPage(DESKTOP);
    await stranger.goto('/wishlist');
    expect(await stranger.locator('main').innerText()).toContain('Nothing saved yet.');
  }, 60_000);
});
