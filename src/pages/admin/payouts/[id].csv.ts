/**
 * GET /admin/payouts/<id>.csv: one payout batch as CSV for the bank or accounting.
 * Guarded by the auth middleware like the rest of /admin (admins only). Text cells are
 * formula-guarded (csv.ts, OWASP "CSV Injection"): creator names and references come from people.
 */
import type { APIRoute } from 'astro';
import { getDb, shop } from '../../../lib/runtime.ts';
import { csvHeaders } from '../../../server/commissions/index.ts';
import { getPayoutBatch, parseBatchId, payoutBatchCsv, payoutCsvFilename } from '../../../server/commissions/index.ts';

export const GET: APIRoute = async ({ params }) => {
  const batchId = parseBatchId(params.id);
  const batch = batchId === null ? null : await getPayoutBatch(await getDb(), batchId);
  if (!batch) {
    return new Response('No such payout batch.\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
    });
  }
  const fractionDigits = new Intl.NumberFormat(shop.locale, { style: 'currency', currency: shop.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const body = payoutBatchCsv(batch, { currency: shop.currency, fractionDigits });
  return new Response(body, { status: 200, headers: csvHeaders(payoutCsvFilename(shop.name, batch.id)) });
};
