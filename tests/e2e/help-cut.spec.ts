/**
 * Help-cut as people do it, in Chromium: a creator's post has a card for a product with a help-cut;
 * a reader signs in by email link, starts a bargain from that card, shares the link; three friends
 * sign in and help once each (the page says exactly how much each took off and how many helps are
 * left); the launcher's own help is refused; at the floor the launcher buys, pays with test
 * payments, and the creator's dashboard shows the sale credited "Help-cut" to that post.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { orderLines } from '../../db/schema/index.ts';
import { products } from '../../db/schema/index.ts';
import { e2eDb, login, newPage } from './helpers/browser.ts';
import { e2eCreator, e2eProduct, uniqueTag } from './helpers/fixtures.ts';
import { e2eApp, e2ePostWithCard, READER_UA, signInByEmail } from './helpers/social.ts';
import { saveProductCutOffer } from '../../src/server/flows/index.ts';

/** SOCIAL_SHOTS=<dir> writes screenshots of the bargain page (390 px for helpers, desktop for the launcher). */
const SHOTS = process.env.SOCIAL_SHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

describe('help-cut', () => {
  test('a bargain launched from a post card, finished by three helpers, bought and credited to the post', async () => {
    const maker = await e2eCreator();
    const item = await e2eProduct({ stock: 5, priceCents: 6000, name: `Bargain Tote ${uniqueTag().toUpperCase()}` });
    const db = await e2eDb();
    const productId = (await db.select({ id: products.id }).from(products).where(eq(products.slug, item.slug)).get())!.id;
    const offer = await saveProductCutOffer(await e2eApp(), {
      productId,
      fields: { startPrice: '60.00', floorPrice: '0', helpsNeeded: '3', durationHours: '24', setAsideUnits: '3', perReaderLaunches: '1', onTimeout: 'buy_at_reached', variantId: 'all', active: 'on' },
    });
    expect(offer.ok).toBe(true);
    const post = await e2ePostWithCard(maker, item.slug);
    const tag = uniqueTag();

    // The launcher signs in and starts the bargain from the card in the post.
    const launcher = await newPage({ userAgent: READER_UA, viewport: { width: 1366, height: 900 } });
    await signInByEmail(launcher, `launch-${tag}@example.com`, `/posts/${post.slug}`);
    expect(new URL(launcher.url()).pathname).toBe(`/posts/${post.slug}`);
    const card = launcher.locator(`[data-product="${item.slug}"]`).first();
    await Promise.all([launcher.waitForURL(/\/cut\//), card.getByRole('button', { name: /Start a bargain/ }).click()]);
    const link = await launcher.getByLabel(/Share this link/).inputValue();
    const cutPath = new URL(link).pathname;
    expect(await launcher.locator('main').innerText()).toMatch(/3 helps left to reach free\. The next help takes off \$30\.00 from a new member, \$10\.00 from a returning one\./);

    // Helping your own bargain is refused in words.
    expect(await launcher.getByRole('button', { name: 'Help cut the price' }).count()).toBe(0);

    // Three friends (new accounts, so each takes the largest cut left): $30, $20, $10.
    const expected = [['$30.00', '$30.00', '2 helps left'], ['$20.00', '$10.00', '1 help left'], ['$10.00', 'Free', null]] as const;
    for (const [i, [took, price, left]] of expected.entries()) {
      // Friends open the shared link on a phone.
      const friend = await newPage({ userAgent: READER_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await friend.goto(cutPath);
      await Promise.all([friend.waitForURL(/\/sign-in/), friend.getByRole('link', { name: 'Sign in to help' }).click()]);
      await signInByEmail(friend, `helper${i}-${tag}@example.com`, cutPath);
      await Promise.all([friend.waitForURL(/helped=/), friend.getByRole('button', { name: 'Help cut the price' }).click()]);
      const text = await friend.locator('main').innerText();
      expect(text).toContain(`Thank you — your help took ${took} off.`);
        expect((await friend.locator('.cut__price .now').innerText()).trim()).toBe(price);
      if (left) expect(text).toContain(left);
      expect(await friend.evaluate(() => document.documentElement.scrollWidth), 'the bargain page fits a phone').toBeLessThanOrEqual(390);
      if (SHOTS) await friend.screenshot({ path: join(SHOTS, `cut-helper-${i}-390.png`), fullPage: true });
      expect(text).not.toMatch(/@example\.com/);
      // A second help by the same person is refused, and changes nothing.
      if (i === 0) {
        await friend.goto(cutPath);
        expect(await friend.getByRole('button', { name: 'Help cut the price' }).count()).toBe(1);
        await friend.getByRole('button', { name: 'Help cut the price' }).click();
        expect(await friend.locator('[role="alert"]').innerText()).toContain('already helped this bargain');
        expect((await friend.locator('.cut__price .now').innerText()).trim()).toBe('$30.00');
      }
      await friend.context().close();
    }

    // At the floor: the launcher buys it free (plus shipping) and pays with test payments.
    await launcher.goto(cutPath);
    expect(await launcher.locator('main').innerText()).toContain('Every help is in');
    if (SHOTS) await launcher.screenshot({ path: join(SHOTS, 'cut-launcher-floor-1366.png'), fullPage: true });
    await launcher.getByLabel('Full name').fill('Lin Launcher');
    await launcher.getByLabel('Street address').fill('1 Market Street');
    await launcher.getByLabel('City').fill('Portland');
    await launcher.getByLabel(/State/).fill('OR');
    await launcher.getByLabel('Postcode').fill('97201');
    await launcher.getByLabel('Country').selectOption('US');
    await Promise.all([launcher.waitForURL(/\/pay\/test\//), launcher.getByRole('button', { name: 'Continue to payment' }).click()]);
    await Promise.all([launcher.waitForURL(/\/orders\//), launcher.getByRole('button', { name: /^Pay \$5\.95/ }).click()]);
    await expect.poll(() => launcher.locator('main').innerText()).toMatch(/Paid/);

    const lines = await db.select().from(orderLines).where(eq(orderLines.sku, item.sku));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ channel: 'cut', attributionSource: 'cut', sourcePost: post.slug, creditedCreatorId: maker.id, unitPriceCents: 0 });

    // The creator sees the bargain's sale on the dashboard, credited to the post.
    const creator = await newPage();
    await login(creator, { email: maker.email, password: maker.password });
    await creator.goto('/dashboard');
    await expect.poll(() => creator.locator('#orders').innerText()).toMatch(/Help-cut/i);
    const credited = await creator.locator('#orders').innerText();
    expect(credited).toContain(item.name);
    // The post's row in "Groups and bargains": one bargain, bought.
    const social = creator.locator('#social tbody tr', { hasText: post.title });
    expect((await social.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['0', '0', '0', '0', '1', '0']);
    expect(credited).toContain(`Bought through a help-cut launched from a card in your post “${post.title}”`);
  }, 120_000);
});
