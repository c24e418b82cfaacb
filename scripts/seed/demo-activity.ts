/**
 * Demo activity so the creator dashboards and admin pages are not empty on a fresh install:
 * referral clicks, card views, and paid orders placed and credited through the real checkout,
 * payment and commission workflows (with past times), some refunded. Deterministic in shape (a seeded
 * random generator); times are relative to when the seed runs, so "the last 30 days" has data.
 */
import { cardDaily, clickDaily, clicks, creators } from '../../db/schema/index.ts';
import { addToBag } from '../../src/server/cart/index.ts';
import { placeOrder } from '../../src/server/checkout/index.ts';
import { applyPaymentEvent, refundOrderByShop, type App } from '../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../src/server/payments/index.ts';
import { utcDay } from '../../src/server/shared/index.ts';
import { referralCodeFor } from './fixtures.ts';

const DAY = 86_400_000;

/** mulberry32: a tiny seeded PRNG so the demo is the same every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoPost {
  slug: string;
  creator: string;
  cards: { position: number; sku: string }[];
}

export async function seedDemoActivity(app: App, posts: DemoPost[], now = Date.now()): Promise<{ orders: number; clicks: number }> {
  const { db } = app;
  const random = rng(20261123);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const creatorRows = await db.select({ id: creators.id, handle: creators.handle }).from(creators);
  const idOf = new Map(creatorRows.map((c) => [c.handle, c.id]));
  const withCards = posts.filter((p) => p.cards.length > 0 && idOf.has(p.creator));
  if (withCards.length === 0) return { orders: 0, clicks: 0 };

  // Clicks and card views over the last 60 days (rollups written alongside, as the pipeline does).
  let clickCount = 0;
  await db.transaction(async (tx) => {
    for (let d = 60; d >= 1; d--) {
      const dayStart = now - d * DAY;
      for (const post of withCards) {
        const creatorId = idOf.get(post.creator)!;
        const n = Math.floor(random() * 12);
        for (let i = 0; i < n; i++) {
          const at = dayStart + Math.floor(random() * DAY * 0.9);
          await tx.insert(clicks).values({
            id: `demo-${d}-${post.slug.slice(0, 12)}-${i}`.padEnd(16, 'x'),
            creatorId,
            post: post.slug,
            target: `/posts/${post.slug}`,
            visitorHash: `demo-visitor-${Math.floor(random() * 5000)}`,
            uaClass: 'browser',
            referrerHost: pick(['instagram.com', 'tiktok.com', 'pinterest.com', null]),
            counted: true,
            at,
          });
          clickCount++;
        }
        if (n > 0) {
          await tx
            .insert(clickDaily)
            .values({ creatorId, day: utcDay(dayStart), post: post.slug, clicks: n })
            .onConflictDoNothing();
        }
        for (const card of post.cards) {
          const views = Math.floor(random() * 40);
          if (views === 0) continue;
          await tx
            .insert(cardDaily)
            .values({ creatorId, post: post.slug, card: card.position, day: utcDay(dayStart), views, clicks: Math.floor(views * random() * 0.3) })
            .onConflictDoNothing();
        }
      }
    }
  });

  // Orders: mostly from post cards, some with a creator code, a few refunded.
  let orderCount = 0;
  for (let i = 0; i < 36; i++) {
    const at = now - Math.floor((55 - i * 1.5) * DAY) - Math.floor(random() * DAY * 0.5);
    const post = pick(withCards);
    const card = pick(post.cards);
    const check = () => post.creator;
    // Most lines come from a post's card; some readers buy directly with a creator's code, some
    // after a referral link, and once a creator buys from their own post (excluded, no commission).
    const kind = i % 6 === 2 ? 'code' : i % 6 === 4 ? 'link' : 'post';
    const bag = await addToBag(
      db,
      { sku: card.sku, qty: 1, source: kind === 'post' ? { kind: 'post', post: post.slug, card: card.position } : { kind: 'direct' } },
      { now: at, checkSource: check },
    );
    if (!bag.ok) continue;
    const creatorId = idOf.get(post.creator)!;
    const email = i === 11 ? `${post.creator}@lookbook.test` : `reader${i}@example.com`;
    const placed = await placeOrder(db, {
      cartId: bag.cartId,
      ...(kind === 'link' ? { ref: { clickId: `demo-ref-${String(i).padStart(12, '0')}`, creatorId, at: at - 2 * DAY } } : {}),
      form: {
        email,
        name: `Demo Reader ${i}`,
        line1: `${10 + i} Demo Street`,
        line2: null,
        city: 'Springfield',
        region: 'IL',
        postcode: '62701',
        country: 'US',
        shippingMethod: 'standard',
        couponCode: kind === 'code' ? `${referralCodeFor(post.creator)}15` : null,
      },
      config: app.config.checkout,
      provider: 'test',
      now: at,
    });
    if (!placed.ok) continue;
    await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_demo_${String(i).padStart(4, '0')}_seed`, 'pay'), { now: at + 60_000 });
    orderCount++;
    if (i % 9 === 4) {
      await refundOrderByShop(app, { orderId: placed.orderId, request: 'all', restock: true, actor: 'admin:admin@lookbook.test', now: at + 3 * DAY });
    }
  }
  return { orders: orderCount, clicks: clickCount };
}

/** The demo posts and, for each card, an in-stock SKU of its product (read from the content files). */
export function demoPostsFromContent(
  files: { slug: string; text: string }[],
  skuFor: (productSlug: string) => string | undefined,
  extract: (body: string) => { slug: string; position: number }[],
): DemoPost[] {
  return files.map((f) => {
    const creator = /\ncreator:\s*["']?([a-z0-9-]+)/.exec(f.text)?.[1] ?? '';
    const cards = extract(f.text)
      .map((r) => ({ position: r.position, sku: skuFor(r.slug) }))
      .filter((c): c is { position: number; sku: string } => c.sku !== undefined);
    return { slug: f.slug, creator, cards };
  });
}
