/**
 * Restock and price-drop alerts (docs/decisions/0053-wishlists-alerts-boards.md).
 *
 * - Set: one open alert per kind, product (and size, for a restock) and canonical email (ADR 0012):
 *   a partial unique index says "already set", so two quick clicks cannot make two.
 * - Due: read through the catalog's public face (`getProductsBySlug`), so the price is the one a
 *   reader pays now — a flash sale or a markdown counts — and stock is on hand − live holds.
 * - Sent once: `claimAlert` is a conditional UPDATE (`sent_at is null and unsubscribed_at is null`)
 *   run in the same transaction as the outbox insert (src/server/flows/wishlist.ts). Of two
 *   concurrent checks only one UPDATE matches; the other writes nothing.
 * - The token in the email's links is stored as a SHA-256 only; it opens the alert's page and its
 *   unsubscribe page, without signing in.
 */
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { products, stockAlerts, variants } from '../../../db/schema/index.ts';
import { getProductsBySlug, type ProductView } from '../catalog/index.ts';
import { canonicalEmail, normaliseEmail, refuse, type Refusal } from '../shared/index.ts';
import { ALERT_TOKEN_PATTERN, hashAlertToken, newAlertToken, type SavedCredit } from './rules.ts';
import { itemPriceCents } from './saved.ts';

export type AlertKind = 'restock' | 'price_drop';

export type SetAlertOutcome =
  | { ok: true; alertId: number; token: string; email: string }
  | Refusal<'unknown_variant' | 'alert_exists' | 'not_sold_out'>;

/**
 * Sets an alert. A restock alert is for a size that is sold out now ("not_sold_out" otherwise: the
 * reader can buy it); a price-drop alert remembers the price seen. "Already set" writes nothing.
 */
export async function setAlert(
  db: Db,
  {
    kind,
    product: slug,
    sku,
    email,
    userId,
    credit,
    now,
  }: { kind: AlertKind; product: string; sku: string | null; email: string; userId: number | null; credit: SavedCredit; now: number },
): Promise<SetAlertOutcome> {
  const view = (await getProductsBySlug(db, [slug], now)).get(slug);
  if (!view || !view.active || view.variants.length === 0) return refuse('unknown_variant', 'That product is no longer sold.');
  const variant = sku ? view.variants.find((v) => v.sku === sku) : undefined;
  if (sku && !variant) return refuse('unknown_variant', 'That size is no longer sold. Choose another one.');
  if (kind === 'restock' && variant && variant.available > 0) return refuse('not_sold_out', 'Good news: that size is in stock now, so you can add it to your bag straight away.');
  const price = kind === 'restock' ? variant!.priceCents : itemPriceCents(view, variant?.id ?? null)!;
  const token = newAlertToken();
  const canonical = canonicalEmail(email);
  const variantId = kind === 'restock' ? variant!.id : (variant?.id ?? null);
  const rows = await db
    .insert(stockAlerts)
    .values({
      kind,
      productId: view.id,
      variantId,
      variantKey: variantId ?? 0,
      email: canonical,
      sendTo: normaliseEmail(email),
      userId,
      priceSeenCents: price,
      sourcePost: credit.post,
      sourceCard: credit.card,
      sourceBoardId: credit.boardId,
      sourceCreatorId: credit.creatorId,
      tokenHash: hashAlertToken(token),
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: stockAlerts.id });
  if (rows.length === 0) {
    return refuse(
      'alert_exists',
      kind === 'restock'
        ? `An alert is already set for ${view.name}${variant?.size ? ` in ${variant.size}` : ''} to this address. We'll email once when it's back.`
        : `A price alert is already set for ${view.name} to this address. We'll email once when the price drops.`,
    );
  }
  return { ok: true, alertId: rows[0]!.id, token, email: normaliseEmail(email) };
}

export interface AlertRow {
  id: number;
  kind: AlertKind;
  productId: number;
  productSlug: string;
  variantId: number | null;
  sendTo: string;
  priceSeenCents: number;
  credit: SavedCredit;
  createdAt: number;
  sentAt: number | null;
  sentPriceCents: number | null;
  unsubscribedAt: number | null;
}

const alertColumns = {
  id: stockAlerts.id,
  kind: stockAlerts.kind,
  productId: stockAlerts.productId,
  productSlug: products.slug,
  variantId: stockAlerts.variantId,
  sendTo: stockAlerts.sendTo,
  email: stockAlerts.email,
  priceSeenCents: stockAlerts.priceSeenCents,
  post: stockAlerts.sourcePost,
  card: stockAlerts.sourceCard,
  boardId: stockAlerts.sourceBoardId,
  creatorId: stockAlerts.sourceCreatorId,
  createdAt: stockAlerts.createdAt,
  sentAt: stockAlerts.sentAt,
  sentPriceCents: stockAlerts.sentPriceCents,
  unsubscribedAt: stockAlerts.unsubscribedAt,
};

type Selected = { [K in keyof typeof alertColumns]: unknown };
function toRow(r: Selected & Record<string, unknown>): AlertRow {
  return {
    id: r.id as number,
    kind: r.kind as AlertKind,
    productId: r.productId as number,
    productSlug: r.productSlug as string,
    variantId: r.variantId as number | null,
    // Alerts set before `send_to` existed have only the canonical address.
    sendTo: (r.sendTo as string) || (r.email as string),
    priceSeenCents: r.priceSeenCents as number,
    credit: { post: r.post as string | null, card: r.card as number | null, boardId: r.boardId as number | null, creatorId: r.creatorId as number | null },
    createdAt: r.createdAt as number,
    sentAt: r.sentAt as number | null,
    sentPriceCents: r.sentPriceCents as number | null,
    unsubscribedAt: r.unsubscribedAt as number | null,
  };
}

/** The alert a link's token opens, or null for a malformed or unknown token. */
export async function findAlertByToken(db: DbOrTx, token: string | null | undefined): Promise<AlertRow | null> {
  if (!token || !ALERT_TOKEN_PATTERN.test(token)) return null;
  const r = await db.select(alertColumns).from(stockAlerts).innerJoin(products, eq(products.id, stockAlerts.productId)).where(eq(stockAlerts.tokenHash, hashAlertToken(token))).get();
  return r ? toRow(r) : null;
}

/**
 * "Stop alerts" from an alert's link (the email, or the confirmation page): stops this alert if it
 * is still waiting and every other alert still waiting for the same address (the canonical email),
 * so one click ends all alert mail to that person. Idempotent: a second click stops nothing more.
 */
export async function unsubscribeAlert(db: DbOrTx, token: string, now: number): Promise<{ ok: true; stopped: number; alert: AlertRow; email: string } | Refusal<'not_found'>> {
  const alert = await findAlertByToken(db, token);
  if (!alert) return refuse('not_found', 'This link is not valid. It may have been copied only in part — open it again from the email.');
  const email = (await db.select({ email: stockAlerts.email }).from(stockAlerts).where(eq(stockAlerts.id, alert.id)).get())!.email;
  const stopped = await db
    .update(stockAlerts)
    .set({ unsubscribedAt: now })
    .where(and(eq(stockAlerts.email, email), isNull(stockAlerts.sentAt), isNull(stockAlerts.unsubscribedAt)))
    .returning({ id: stockAlerts.id });
  // The alert of the link itself is marked too (even when already sent), so its page says so.
  if (alert.unsubscribedAt === null) await db.update(stockAlerts).set({ unsubscribedAt: now }).where(and(eq(stockAlerts.id, alert.id), isNull(stockAlerts.unsubscribedAt)));
  return { ok: true, stopped: stopped.length, alert: { ...alert, unsubscribedAt: alert.unsubscribedAt ?? now }, email: alert.sendTo };
}

/** How many alerts are still waiting for the address of this alert (the unsubscribe page says so). */
export async function openAlertsLikeThis(db: DbOrTx, alertId: number): Promise<number> {
  const email = (await db.select({ email: stockAlerts.email }).from(stockAlerts).where(eq(stockAlerts.id, alertId)).get())?.email;
  if (!email) return 0;
  return (await db.select({ id: stockAlerts.id }).from(stockAlerts).where(and(eq(stockAlerts.email, email), isNull(stockAlerts.sentAt), isNull(stockAlerts.unsubscribedAt)))).length;
}

/**
 * A fresh token for the alert's email (inside the claiming transaction): the raw token exists only
 * in the links it is put in, the database keeps its SHA-256. The token shown when the alert was set
 * stops working then — that alert has done its one job.
 */
export async function rotateAlertToken(tx: DbOrTx, alertId: number): Promise<string> {
  const token = newAlertToken();
  await tx.update(stockAlerts).set({ tokenHash: hashAlertToken(token) }).where(eq(stockAlerts.id, alertId));
  return token;
}

export interface DueAlert extends AlertRow {
  product: ProductView;
  /** The restocked size (restock alerts). */
  variantSku: string | null;
  variantLabel: string | null;
  priceNowCents: number;
}

/**
 * Open alerts whose condition holds now: the size is back in stock (restock) or the price a reader
 * pays now is lower than the one seen (price drop). `productIds` narrows the check to products
 * just written (the admin's save); without it every product with an open alert is checked (the sweep).
 * `limit` is how many open alerts are read per query (all of them are read, in batches).
 */
export async function dueAlerts(db: Db, { productIds, now, limit = 200 }: { productIds?: readonly number[]; now: number; limit?: number }): Promise<DueAlert[]> {
  if (productIds && productIds.length === 0) return [];
  const open = and(isNull(stockAlerts.sentAt), isNull(stockAlerts.unsubscribedAt), productIds ? inArray(stockAlerts.productId, [...productIds]) : undefined);
  const out: DueAlert[] = [];
  // Read every open alert, `limit` at a time in id order: alerts still waiting (a size still sold
  // out) must never hide a due one behind them.
  for (let after = 0; ; ) {
    const rows = (
      await db.select(alertColumns).from(stockAlerts).innerJoin(products, eq(products.id, stockAlerts.productId)).where(and(open, gt(stockAlerts.id, after))).orderBy(asc(stockAlerts.id)).limit(limit)
    ).map(toRow);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const views = await getProductsBySlug(db, [...new Set(rows.map((r) => r.productSlug))], now);
    for (const r of rows) {
      const p = views.get(r.productSlug);
      if (!p || !p.active || p.variants.length === 0) continue;
      if (r.kind === 'restock') {
        const v = p.variants.find((x) => x.id === r.variantId);
        if (!v || v.available <= 0) continue;
        out.push({ ...r, product: p, variantSku: v.sku, variantLabel: [v.colour, v.size].filter(Boolean).join(' / ') || null, priceNowCents: v.priceCents });
      } else {
        const nowCents = itemPriceCents(p, r.variantId);
        if (nowCents === null || nowCents >= r.priceSeenCents) continue;
        const v = r.variantId !== null ? p.variants.find((x) => x.id === r.variantId) : undefined;
        out.push({ ...r, product: p, variantSku: v?.sku ?? null, variantLabel: v ? [v.colour, v.size].filter(Boolean).join(' / ') || null : null, priceNowCents: nowCents });
      }
    }
    if (rows.length < limit) break;
  }
  return out;
}

/**
 * Marks an alert sent — only if it is still open. Run it in the transaction that puts its email in
 * the outbox: true means this caller sends it; false means another check (or an unsubscribe) won.
 */
export async function claimAlert(tx: DbOrTx, alertId: number, { now, priceCents }: { now: number; priceCents: number }): Promise<boolean> {
  const res = await tx
    .update(stockAlerts)
    .set({ sentAt: now, sentPriceCents: priceCents })
    .where(and(eq(stockAlerts.id, alertId), isNull(stockAlerts.sentAt), isNull(stockAlerts.unsubscribedAt)))
    .returning({ id: stockAlerts.id });
  return res.length === 1;
}

/** Records which outbox row carried the alert (for the admin's mailbox and support). */
export async function noteAlertEmail(tx: DbOrTx, alertId: number, outboxEmailId: number): Promise<void> {
  await tx.update(stockAlerts).set({ outboxEmailId }).where(eq(stockAlerts.id, alertId));
}

/** The sizes of a product by id, for labels (a restocked size's name in the email). */
export async function variantSku(db: DbOrTx, variantId: number): Promise<string | null> {
  return (await db.select({ sku: variants.sku }).from(variants).where(eq(variants.id, variantId)).get())?.sku ?? null;
}
