/**
 * Demo flash sales and a markdown (ADR 0051), scheduled through the admin's own workflow so they
 * are exactly what the admin page would create: a flash sale live now on the Merino Crewneck (the
 * product most posts feature, so its cards show the countdown), one starting in two hours on the
 * Wide-Leg Denim Jeans, and a week's markdown on the Straight-Leg Chinos. Times are relative to
 * the seeding moment, whole minutes in the shop's time zone, as the admin types them. And pre-orders
 * (ADR 0055) on the Corduroy Chore Jacket, which has no stock yet: 40 units, shipping in four weeks.
 */
import { eq } from 'drizzle-orm';
import { products, users } from '../../db/schema/index.ts';
import { scheduleSale, setPresale, type App } from '../../src/server/flows/index.ts';
import { shopDate, wallClock } from '../../src/server/sales/index.ts';
import { DEMO_ADMIN } from './fixtures.ts';

const HOUR = 3_600_000;

export async function seedDemoSales(app: App, now = Date.now()): Promise<{ sales: number; presales: number }> {
  const admin = await app.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, DEMO_ADMIN.email)).get();
  if (!admin) throw new Error('seedDemoSales: the demo admin is missing (run seedDemo first)');
  const tz = app.config.shop.timeZone;
  const at = (ms: number, prefix: 'start' | 'end') => {
    const w = wallClock(ms, tz);
    return { [`${prefix}Date`]: w.date, [`${prefix}Time`]: w.time };
  };
  const plan = [
    { slug: 'merino-crewneck', fields: { kind: 'flash', price: '59.00', units: '20', limit: '2', ...at(now, 'start'), ...at(now + 7 * 24 * HOUR, 'end') } },
    { slug: 'wide-leg-denim-jeans', fields: { kind: 'flash', price: '89.00', units: '15', limit: '1', ...at(now + 2 * HOUR, 'start'), ...at(now + 26 * HOUR, 'end') } },
    { slug: 'straight-leg-chinos', fields: { kind: 'markdown', price: '69.00', ...at(now, 'start'), ...at(now + 7 * 24 * HOUR, 'end') } },
  ];
  let sales = 0;
  for (const p of plan) {
    const product = await app.db.select({ id: products.id }).from(products).where(eq(products.slug, p.slug)).get();
    if (!product) continue;
    const r = await scheduleSale(app, { user: admin, productId: product.id, fields: { variant: 'all', ...p.fields }, now });
    if (!r.ok) throw new Error(`seedDemoSales ${p.slug}: ${r.message} ${JSON.stringify(r.fieldErrors ?? {})}`);
    sales++;
  }
  let presales = 0;
  const jacket = await app.db.select({ id: products.id }).from(products).where(eq(products.slug, 'corduroy-chore-jacket')).get();
  if (jacket) {
    const r = await setPresale(app, { user: admin, productId: jacket.id, fields: { shipsOn: shopDate(now + 28 * 24 * HOUR, tz), cap: '40' }, now });
    if (!r.ok) throw new Error(`seedDemoSales presale: ${r.message} ${JSON.stringify(r.fieldErrors ?? {})}`);
    presales++;
  }
  return { sales, presales };
}
