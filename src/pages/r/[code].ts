/**
 * GET /r/<code>[?to=/posts/<slug>] — a creator's referral link (issue 4; ADR 0010). Records the
 * click (batched), sets the signed attribution cookie for people, and redirects (302) to the
 * on-site target or the creator's page. Targets off this site are never followed (no open
 * redirect). An unknown code is the 404 page. Never cached: every hit is a click.
 */
import type { APIRoute } from 'astro';
import { recordReferral } from '../../server/attribution/referral.ts';
import { clickQueue, referralRequest, setRefCookie } from '../../lib/middleware/referral.ts';
import { getDb } from '../../lib/runtime.ts';

export const GET: APIRoute = async (context) => {
  const db = await getDb();
  const result = await recordReferral(db, clickQueue, {
    code: context.params.code,
    to: context.url.searchParams.get('to'),
    ...(await referralRequest(context)),
  });
  if (!result.ok) return context.rewrite('/404');
  if (result.setCookie) await setRefCookie(context.cookies, db, { clickId: result.clickId, creatorId: result.creator.id, at: result.at });
  return new Response(null, {
    status: 302,
    headers: { Location: result.target, 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' },
  });
};
