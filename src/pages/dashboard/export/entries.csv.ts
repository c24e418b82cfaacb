/**
 * GET /dashboard/export/entries.csv?from=…&to=… (or ?days=…): the signed-in creator's commission
 * entries written in the range, as CSV. Guarded by the auth middleware like the rest of
 * /dashboard; the creator is the session's, never a request parameter. Bad dates: 400, text.
 */
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/runtime.ts';
import { csvHeaders, exportError } from '../../../server/commissions/index.ts';
import { entriesCsv } from '../../../server/commissions/index.ts';
import { parseDashboardRange } from '../../../server/commissions/index.ts';

export const GET: APIRoute = async ({ locals, url }) => {
  const creatorId = locals.user?.creatorId ?? null; // from the session only
  if (creatorId === null) return exportError(403, 'Only a creator login can export its own figures.');
  const now = Date.now();
  const parsed = parseDashboardRange(url.searchParams, now);
  if (!parsed.ok) return exportError(400, parsed.errors.map((e) => e.message).join('\n'));
  const csv = await entriesCsv(await getDb(), creatorId, parsed.range, now);
  return new Response(csv.body, { status: 200, headers: csvHeaders(csv.filename) });
};
