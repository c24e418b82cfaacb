/**
 * Workflows of flash sales, scheduled markdowns and presale (docs/decisions/0051-flash-sales-markdowns-presale.md):
 * the admin schedules, lists and cancels sales per product and sets its presale. Each write runs in
 * one transaction with the catalog version bump, so no cached page shows the old terms; a refused
 * form writes nothing. Prices at a moment are derived where read (src/server/sales), so nothing
 * here runs when a sale starts or ends.
 */
import { asc, eq } from 'drizzle-orm';
import type { SessionUser } from '../auth/index.ts';
import { bumpCatalogVersion, parseMoneyInput, variantLabel } from '../catalog/index.ts';
import { products, variants } from '../../../db/schema/index.ts';
import {
  cancelSchedule,
  currentPresale,
  endPresale,
  insertSchedule,
  listSchedules,
  overlappingFlashSale,
  parsePresaleForm,
  parseScheduleForm,
  savePresale,
  shopTimeText,
  type Presale,
  type Schedule,
} from '../sales/index.ts';
import { loadSales } from '../sales/index.ts';
import { refuse, type FieldErrors, type Refusal } from '../shared/index.ts';
import type { App } from './app.ts';

type Admin = Pick<SessionUser, 'id' | 'role'> | null | undefined;
const NOT_ADMIN = 'Only the shop admin can schedule sales. Sign in as the admin.';

async function productVariants(app: App, productId: number) {
  const product = await app.db.select({ id: products.id, name: products.name, slug: products.slug }).from(products).where(eq(products.id, productId)).get();
  if (!product) return null;
  const vs = await app.db
    .select({ id: variants.id, priceCents: variants.priceCents, size: variants.size, colour: variants.colour, active: variants.active })
    .from(variants)
    .where(eq(variants.productId, productId))
    .orderBy(asc(variants.position), asc(variants.id));
  return { product, variants: vs.filter((v) => v.active) };
}

export type ScheduleSaleResult = { ok: true; scheduleId: number } | (Refusal<'invalid' | 'not_found' | 'not_allowed' | 'conflict'> & { fieldErrors?: FieldErrors });

/** The admin schedules a flash sale or a markdown on a product or one of its variants. */
export async function scheduleSale(
  app: App,
  { user, productId, fields, now = Date.now() }: { user: Admin; productId: number; fields: Record<string, string>; now?: number },
): Promise<ScheduleSaleResult> {
  if (user?.role !== 'admin') return refuse('not_allowed', NOT_ADMIN);
  const pv = await productVariants(app, productId);
  if (!pv) return refuse('not_found', 'That product no longer exists.');
  const parsed = parseScheduleForm(fields, {
    variants: pv.variants,
    timeZone: app.config.shop.timeZone,
    now,
    parseMoney: (s) => parseMoneyInput(s, { fractionDigits: app.fmt.fractionDigits }),
    money: app.fmt.money,
  });
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields. Nothing was scheduled.'), fieldErrors: parsed.errors };
  const s = parsed.value;
  return app.db.transaction(async (tx) => {
    // Checked in the transaction that inserts, so two admins cannot both schedule overlapping sales.
    const clash = await overlappingFlashSale(tx, productId, s);
    if (clash) {
      const when = `${shopTimeText(clash.startsAt, app.config.shop.timeZone)} to ${shopTimeText(clash.endsAt, app.config.shop.timeZone)}`;
      const message = `Another flash sale on ${clash.variantId === null ? 'this product' : 'this size'} runs from ${when}. Flash sales on the same item cannot overlap — change the times or cancel the other one.`;
      return { ...refuse('conflict', 'Nothing was scheduled: it overlaps another flash sale.'), fieldErrors: { startDate: message } };
    }
    const scheduleId = await insertSchedule(tx, productId, s, now);
    await bumpCatalogVersion(tx);
    return { ok: true as const, scheduleId };
  });
}

export async function cancelSale(
  app: App,
  { user, productId, scheduleId, now = Date.now() }: { user: Admin; productId: number; scheduleId: number; now?: number },
): Promise<{ ok: true } | Refusal<'not_allowed' | 'not_found'>> {
  if (user?.role !== 'admin') return refuse('not_allowed', NOT_ADMIN);
  return app.db.transaction(async (tx) => {
    if (!(await cancelSchedule(tx, productId, scheduleId, now))) return refuse('not_found', 'That sale is already canceled or over, so there is nothing to cancel.');
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

export type SetPresaleResult = { ok: true; presaleId: number } | (Refusal<'invalid' | 'not_found' | 'not_allowed'> & { fieldErrors?: FieldErrors });

/** The admin starts or changes a product's presale (ship date, cap, optional window). */
export async function setPresale(
  app: App,
  { user, productId, fields, now = Date.now() }: { user: Admin; productId: number; fields: Record<string, string>; now?: number },
): Promise<SetPresaleResult> {
  if (user?.role !== 'admin') return refuse('not_allowed', NOT_ADMIN);
  const pv = await productVariants(app, productId);
  if (!pv) return refuse('not_found', 'That product no longer exists.');
  const parsed = parsePresaleForm(fields, { timeZone: app.config.shop.timeZone, now });
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields. The presale was not saved.'), fieldErrors: parsed.errors };
  return app.db.transaction(async (tx) => {
    // The cap cannot go below what is already pre-ordered (read in this transaction).
    const taken = (await loadSales(tx, [productId], now)).get(productId)?.presaleTaken ?? 0;
    if (parsed.value.capUnits < taken) {
      return {
        ...refuse('invalid', 'Please check the highlighted fields. The presale was not saved.'),
        fieldErrors: { cap: `${taken} ${taken === 1 ? 'unit is' : 'units are'} already pre-ordered: enter ${taken} or more.` },
      };
    }
    const presaleId = await savePresale(tx, productId, parsed.value, now);
    await bumpCatalogVersion(tx);
    return { ok: true as const, presaleId };
  });
}

export async function stopPresale(app: App, { user, productId, now = Date.now() }: { user: Admin; productId: number; now?: number }): Promise<{ ok: true } | Refusal<'not_allowed' | 'not_found'>> {
  if (user?.role !== 'admin') return refuse('not_allowed', NOT_ADMIN);
  return app.db.transaction(async (tx) => {
    if (!(await endPresale(tx, productId, now))) return refuse('not_found', 'This product has no presale to end.');
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

export interface AdminSaleRow extends Schedule {
  state: 'upcoming' | 'live' | 'over' | 'canceled';
  target: string;
  unitsTaken: number;
}

/** What the admin's sales page lists: every schedule with its state and units taken, the presale, the variants to choose from. */
export async function productSalesPage(app: App, productId: number, now = Date.now()) {
  const pv = await productVariants(app, productId);
  if (!pv) return null;
  const [schedules, loaded, presale] = await Promise.all([listSchedules(app.db, productId), loadSales(app.db, [productId], now), currentPresale(app.db, productId, now)]);
  const taken = loaded.get(productId);
  const label = (id: number | null) => {
    if (id === null) return 'Every size';
    const v = pv.variants.find((x) => x.id === id);
    return v ? variantLabel(v) : 'A size no longer sold';
  };
  const rows: AdminSaleRow[] = schedules.map((s) => ({
    ...s,
    state: s.canceledAt !== null ? 'canceled' : now < s.startsAt ? 'upcoming' : now < s.endsAt ? 'live' : 'over',
    target: label(s.variantId),
    unitsTaken: taken?.taken.get(s.id) ?? 0,
  }));
  return { product: pv.product, variants: pv.variants.map((v) => ({ ...v, label: variantLabel(v) })), rows, presale: presale as Presale | undefined, presaleTaken: taken?.presale?.id === presale?.id ? (taken?.presaleTaken ?? 0) : 0 };
}
