/**
 * Demo buyer shows: a few of the demo activity's paid orders (never a refunded one) are shipped and
 * delivered through the admin's workflows, their buyers sign in by a one-time link as readers do,
 * review what they bought through the same workflow as the review form (some with a photo), and
 * the shop approves them. Every review comes from a real delivered purchase — including a low
 * rating, as the review policy promises (docs/decisions/0052-verified-buyer-reviews.md).
 */
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import sharp from 'sharp';
import { orderLines, orders, shipments } from '../../db/schema/index.ts';
import { createLoginLink, type SessionUser } from '../../src/server/auth/index.ts';
import { markParcelDelivered, moderateReview, shipOrder, signInWithLink, submitReview, type App } from '../../src/server/flows/index.ts';
import { DAY_MS } from '../../src/server/shared/index.ts';
import { users } from '../../db/schema/index.ts';

const ADMIN = 'admin:admin@lookbook.test';

/** What each demo buyer says, in order of their purchases. `photo`: the colour of a plain photo. */
const SAYINGS: { name: string; rating: number; fit: string; body: string; photo?: string }[] = [
  { name: 'Ana', rating: 5, fit: 'true', body: 'Exactly the colour in the post. Soft from the first wear, and it hasn’t pilled after a month of washing.', photo: '#b59a7a' },
  { name: 'Ben', rating: 4, fit: 'small', body: 'Lovely quality, but it runs a little small — I’d size up if you are between sizes.' },
  { name: 'Chen', rating: 5, fit: 'true', body: 'Bought it after reading the guide and I wear it twice a week. Feels far more expensive than it was.', photo: '#5f6b5a' },
  { name: 'Dara', rating: 2, fit: 'large', body: 'The fabric is nice, but it was much bigger than I expected and the sleeves are long. I’ll be exchanging it for a smaller size.', photo: '#3d4a5c' },
  { name: 'Eli', rating: 4, fit: 'true', body: 'A good everyday piece. One star off because the stitching on one pocket was a bit uneven.' },
  { name: 'Fay', rating: 5, fit: '', body: 'Arrived quickly and beautifully packed. Exactly as pictured, and it goes with everything.' },
];

async function photo(colour: string): Promise<Buffer> {
  const width = 900;
  const height = 1125;
  const raw = Buffer.alloc(width * height * 3);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
  for (let y = 0; y < height; y++) {
    const shade = 0.75 + (0.35 * y) / height;
    for (let x = 0; x < width; x++) raw.set([Math.min(255, r * shade), Math.min(255, g * shade), Math.min(255, b * shade)], (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 82 }).toBuffer();
}

export async function seedDemoReviews(app: App, now = Date.now()): Promise<{ reviews: number }> {
  const { db } = app;
  // The oldest paid demo orders of readers (not creators buying from themselves), one per buyer.
  const paid = await db
    .select({ id: orders.id, email: orders.email, paidAt: orders.paidAt })
    .from(orders)
    .where(and(eq(orders.status, 'paid'), like(orders.email, 'reader%@example.com')))
    .orderBy(asc(orders.paidAt));
  const chosen = paid.filter((o) => o.paidAt !== null && o.paidAt < now - 10 * DAY_MS).slice(0, SAYINGS.length);
  if (chosen.length === 0) return { reviews: 0 };
  const lines = await db.select({ orderId: orderLines.orderId, productSlug: orderLines.productSlug }).from(orderLines).where(inArray(orderLines.orderId, chosen.map((o) => o.id)));
  let count = 0;
  for (const [i, order] of chosen.entries()) {
    const say = SAYINGS[i]!;
    const shipped = await shipOrder(app, { orderId: order.id, actor: ADMIN, now: order.paidAt! + DAY_MS, carrier: 'UPS', trackingNumber: `1ZDEMO${String(order.id).padStart(8, '0')}`, lines: 'all' });
    if (!shipped.ok) continue;
    const parcel = await db.select({ id: shipments.id }).from(shipments).where(eq(shipments.orderId, order.id)).get();
    await markParcelDelivered(app, { orderId: order.id, shipmentId: parcel!.id, actor: ADMIN, now: order.paidAt! + 4 * DAY_MS });

    // The buyer signs in with a one-time link (this makes their reader account, verified).
    const link = await createLoginLink(db, { email: order.email, ip: null, now });
    if (link.kind !== 'send' || !link.token) continue;
    const signedIn = await signInWithLink(app, { token: link.token, now });
    if (!signedIn.ok) continue;
    const row = await db.select().from(users).where(eq(users.email, order.email)).get();
    await db.update(users).set({ displayName: say.name }).where(eq(users.id, row!.id));
    const user: SessionUser = { id: row!.id, email: row!.email, role: row!.role, creatorId: row!.creatorId };

    const form = new FormData();
    form.set('rating', String(say.rating));
    form.set('fit', say.fit);
    form.set('body', say.body);
    if (say.photo) form.append('photos', new File([new Uint8Array(await photo(say.photo))], 'photo.jpg', { type: 'image/jpeg' }));
    const productSlug = lines.find((l) => l.orderId === order.id)?.productSlug;
    const r = await submitReview(app, { user, productSlug, request: new Request('http://seed.invalid/account/reviews/new', { method: 'POST', body: form }), now });
    if (!r.ok) continue;
    const approve = new FormData();
    approve.set('action', 'approve');
    approve.set('id', String(r.reviewId));
    if ((await moderateReview(app, { form: approve, actor: ADMIN, now })).ok) count++;
  }
  return { reviews: count };
}
