/**
 * GET /r/<code>[?to=/posts/<slug>] — a creator's referral link (ADR 0010). Records the
 * click (batched), sets the signed attribution cookie for people, and redirects (302) to the
 * on-site target or the creator's page. Targets off this site are never followed (no open
 * redirect). An unknown code is the 404 page. Never cached: every hit is a click.
 *
 * If recording fails (the database is unreachable), the visitor still goes where the link
 * points — an on-site `to`, else the home page — without a cookie: a shared link must not 500.
 */
import type { APIRoute } from 'astro';
import { recordReferral, type ReferralResult } from '../../server/attribution/index.ts';
import { safeTarget } from '../../server/attribution/index.ts';
import { paths } from '../../server/shared/index.ts';
import { clickQueue, referralRequest, setRefCookie } from '../../lib/middleware/referral.ts';
import { getDb } from '../../lib/runtime.ts';

const redirect = (location: string) =>
  new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' } });

export const GET: APIRoute = async (context) => {
  const to = context.url.searchParams.get('to');
  let result: ReferralResult | undefined;
  try {
    const db = await getDb();
    result = await recordReferral(db, clickQueue, { code: context.params.code, to, ...(await referralRequest(context)) });
    if (result.ok && result.setCookie) {
      await setRefCookie(context.cookies, db, { clickId: result.clickId, creatorId: result.creator.id, at: result.at });
    }
  } catch (err) {
    console.error('referral click not recorded', err);
    return redirect(result?.ok ? result.target : safeTarget(to, paths.home()));
  }
  if (!result.ok) return context.rewrite('/404');
  return redirect(result.target);
};
