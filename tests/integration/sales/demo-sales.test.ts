/** The demo sales seed: through the admin's workflow, a live flash sale on a product the posts feature, an upcoming one, a markdown, pre-orders on a jacket with no stock. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { seedDemo } from '../../../scripts/seed/seed.ts';
import { seedDemoSales } from '../../../scripts/seed/demo-sales.ts';
import { getProductsBySlug } from '../../../src/server/catalog/index.ts';

const NOW = Date.UTC(2026, 11, 3, 9, 30, 20);
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await seedDemo(db);
});

describe('demo sales', () => {
  it('seeds a live flash sale, one starting in two hours and a live markdown', async () => {
    expect(await seedDemoSales(testApp(db), NOW)).toEqual({ sales: 3, presales: 1 });
    // A minute after seeding (the start is the seeding minute, typed as the admin types it).
    const at = NOW + 60_000;
    const ps = await getProductsBySlug(db, ['merino-crewneck', 'wide-leg-denim-jeans', 'straight-leg-chinos'], at);
    expect(ps.get('merino-crewneck')!.sale).toMatchObject({ kind: 'flash', state: 'live', priceCents: 5900, unitsLeft: 20, perBuyerLimit: 2 });
    expect(ps.get('merino-crewneck')!.variants.every((v) => v.priceCents === 5900)).toBe(true);
    expect(ps.get('wide-leg-denim-jeans')!.sale).toMatchObject({ kind: 'flash', state: 'upcoming', priceCents: 8900 });
    expect(ps.get('straight-leg-chinos')!.sale).toMatchObject({ kind: 'markdown', state: 'live', priceCents: 6900 });
    // Pre-orders on the jacket with no stock: every size can be bought, up to 40 in all.
    const jacket = (await getProductsBySlug(db, ['corduroy-chore-jacket'], at)).get('corduroy-chore-jacket')!;
    expect(jacket.presale).toMatchObject({ state: 'open', capUnits: 40, unitsLeft: 40, shipsOn: '2026-12-31' });
    expect(jacket.variants.every((v) => v.available === 40)).toBe(true);
  });
});
