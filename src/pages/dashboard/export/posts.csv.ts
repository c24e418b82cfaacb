/**
 * GET /dashboard/export/posts.csv?from=…&to=… (or ?days=…): the signed-in creator's per-post
 * figures for the range (the dashboard's "By post" table), as CSV. Guarded by the auth
 * middleware; the creator is the session's, never a request parameter. Bad dates: 400, text.
 */
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/runtime.ts';
import { publishedPosts } from '../../../lib/content.ts';
import { csvHeaders, exportError } from '../../../server/commissions/index.ts';
import { postsCsv } from '../../../server/commissions/index.ts';
import { parseDashboardRange } from '../../../server/commissions/index.ts';
import { formerSlugs } from '../../../server/content/index.ts';

export const GET: APIRoute = async ({ locals, url }) => {
  const creatorId = locals.user?.creatorId ?? null; // from the session only
  if (creatorId === null) return exportError(403, 'Only a creator login can export its own figures.');
  const parsed = parseDashboardRange(url.searchParams, Date.now());
  if (!parsed.ok) return exportError(400, parsed.errors.map((e) => e.message).join('\n'));
  const titles = new Map((await publishedPosts()).map((p) => [p.slug, p.title]));
  const aliases = await formerSlugs(await getDb(), creatorId); // a renamed post's earlier addresses
  const csv = await postsCsv(await getDb(), creatorId, parsed.range, { titles, aliases });
  return new Response(csv.body, { status: 200, headers: csvHeaders(csv.filename) });
};
