/**
 * The admin home: the period's figures (Today / 7 days / 30 days) and what needs doing now, each
 * with the address of the list behind it, so every number on the page is a link to its rows.
 */
import { adminHomeFigures, DEFAULT_ADMIN_PERIOD, parseAdminPeriod, type AdminHomeFigures, type AdminPeriod } from '../admin/index.ts';
import { adminCreatorHref, ADMIN_PAYOUTS_PATH } from '../commissions/index.ts';
import { adminOrdersHref } from '../orders/index.ts';
import { adminProductHref } from './product-admin.ts';
import type { App } from './app.ts';

/** The orders list's "to ship" queue (paid or partly refunded, not fully shipped, oldest first). */
export const ORDERS_TO_SHIP_HREF = adminOrdersHref({ toShip: true });
/** The products list, filtered to low stock and to sold out. */
export const LOW_STOCK_HREF = '/admin/products?stock=low';
export const OUT_OF_STOCK_HREF = '/admin/products?stock=out';

export interface AdminHomeLinks {
  /** The orders list for the period's dates. */
  orders: string;
  toShip: string;
  lowStock: string;
  outOfStock: string;
  payouts: string;
  /** A top product's admin page, or the list searched for its title when it left the catalog. */
  product: (p: { productId: number | null; title: string }) => string;
  creator: (handle: string) => string;
}

export type AdminHomeOutcome =
  | { ok: true; period: AdminPeriod; figures: AdminHomeFigures; links: AdminHomeLinks }
  /** A bad ?period=: the message, and the default period's figures to show under it. */
  | { ok: false; status: 400; message: string; period: AdminPeriod; figures: AdminHomeFigures; links: AdminHomeLinks };

export async function adminHome(app: App, { period: raw, now = Date.now() }: { period: string | null; now?: number }): Promise<AdminHomeOutcome> {
  const parsed = parseAdminPeriod(raw);
  const period = parsed.ok ? parsed.period : DEFAULT_ADMIN_PERIOD;
  const figures = await adminHomeFigures(app.db, { period, now });
  const links: AdminHomeLinks = {
    orders: adminOrdersHref({ from: figures.range.from, to: figures.range.to }),
    toShip: ORDERS_TO_SHIP_HREF,
    lowStock: LOW_STOCK_HREF,
    outOfStock: OUT_OF_STOCK_HREF,
    payouts: ADMIN_PAYOUTS_PATH,
    product: (p) => (p.productId !== null ? adminProductHref(p.productId) : `/admin/products?q=${encodeURIComponent(p.title)}`),
    creator: (handle) => adminCreatorHref(handle),
  };
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message, period, figures, links };
  return { ok: true, period, figures, links };
}
