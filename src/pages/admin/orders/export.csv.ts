/**
 * GET /admin/orders/export.csv?<the list's filters>: every matching order as CSV (no page limit),
 * money in shop units, states in words (exportOrdersCsv). Guarded by the auth middleware like the
 * rest of /admin. A bad filter is a plain-text 400 naming it, never a partial file.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { shop } from '../../../lib/runtime.ts';
import { csvFilename, csvHeaders, exportError } from '../../../server/commissions/index.ts';
import { parseAdminOrderQuery } from '../../../server/orders/index.ts';
import { exportOrdersCsv } from '../../../server/flows/index.ts';

export const GET: APIRoute = async ({ url }) => {
  const parsed = parseAdminOrderQuery(url.searchParams);
  if (!parsed.ok) return exportError(400, parsed.errors.map((e) => e.message).join('\n'));
  const { page: _page, ...query } = parsed.query;
  const body = await exportOrdersCsv(await getApp(), query);
  const what = query.toShip ? 'orders-to-ship' : 'orders';
  const name = csvFilename(shop.name, what, query.from ?? 'all', query.to ?? new Date().toISOString().slice(0, 10));
  return new Response(body, { status: 200, headers: csvHeaders(name) });
};
