/**
 * GET /admin/products/export.csv?<the list's filters>: every product and variant as CSV — the whole
 * shop (archived products included) with no filter, else every page of the filtered list — one row
 * per variant, money in shop units (docs/decisions/0044-product-csv.md). The same file imports back
 * unchanged. Guarded by the auth middleware like the rest of /admin; a bad filter is a plain-text 400.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { csvHeaders, exportError } from '../../../server/commissions/index.ts';
import { exportProductsCsv } from '../../../server/flows/index.ts';

export const GET: APIRoute = async ({ url }) => {
  const r = await exportProductsCsv(await getApp(), url.searchParams);
  if (!r.ok) return exportError(400, r.message);
  // A BOM so spreadsheet programs read the file as UTF-8; the import accepts it.
  return new Response(`\uFEFF${r.body}`, { status: 200, headers: csvHeaders(r.filename) });
};
