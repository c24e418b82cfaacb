/**
 * `?ref=<code>` on any page (ADR 0010): records the referral click and sets the signed
 * attribution cookie, then the page renders as usual — the same as `/r/<code>` without the extra
 * redirect. Registered before the render cache in src/middleware.ts; a request with a query string
 * is never answered from the cache, so it always reaches this middleware.
 *
 * Also home of the process's write-behind queues (clicks, card events) and the one place the
 * `lb_ref` cookie is written. Recording never breaks a page: if it fails, the page renders without
 * a cookie.
 */
import type { APIContext, AstroCookies } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { ClickQueue } from '../../server/attribution/index.ts';
import { CardEventQueue } from '../../server/attribution/index.ts';
import { recordReferral, type ReferralInput } from '../../server/attribution/index.ts';
import { REF_COOKIE, signRef } from '../../server/attribution/index.ts';
import type { Db } from '../../server/db.ts';
import { creditSettings, refSecret } from '../credit.ts';
import { publishedPostLookup } from '../content.ts';
import { getDb, shop } from '../runtime.ts';

/** This process's click queue: flushed every 250 ms or at 100 clicks, one transaction each (click-queue.ts). */
export const clickQueue = new ClickQueue(getDb);
/** This process's card-event queue (POST /api/card-events), batched the same way. */
export const cardQueue = new CardEventQueue(getDb);

/**
 * Writes whatever is queued. Registered for a host that can await it before exiting
 * (scripts/serve.mjs on SIGTERM); without it, up to ~250 ms of clicks are lost on shutdown.
 */
export async function flushQueuedWrites(): Promise<void> {
  await Promise.allSettled([clickQueue.flush(), cardQueue.flush()]);
}
(globalThis as Record<symbol, unknown>)[Symbol.for('lookbook.flushQueuedWrites')] = flushQueuedWrites;

/** Published now, file or studio (the index is live: src/lib/content.ts). */
async function postChecker(): Promise<(slug: string) => boolean> {
  const find = await publishedPostLookup();
  return (slug) => find(slug) !== undefined;
}

/** The visitor's address as Astro sees it (X-Forwarded-For only from a configured allowed domain). */
function clientIp(context: APIContext): string {
  try {
    return context.clientAddress ?? '';
  } catch {
    return '';
  }
}

/** What recordReferral needs from a request, apart from the code and the target. */
export async function referralRequest(context: APIContext): Promise<Omit<ReferralInput, 'code' | 'to'>> {
  return {
    ip: clientIp(context),
    userAgent: context.request.headers.get('user-agent'),
    referer: context.request.headers.get('referer'),
    isPost: await postChecker(),
  };
}

/**
 * The attribution cookie: `<clickId>.<creatorId>.<at>.<mac>` (ref-cookie.ts), HttpOnly,
 * SameSite=Lax, Path=/, Secure when SECURE_COOKIES, lasting the attribution window. Each click by
 * a person replaces it (last click wins).
 */
export async function setRefCookie(cookies: AstroCookies, db: Db, claim: { clickId: string; creatorId: number; at: number }): Promise<void> {
  cookies.set(REF_COOKIE, signRef(await refSecret(db), claim), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: shop.secureCookies,
    maxAge: Math.floor(creditSettings.attributionWindowMs / 1000),
  });
}

/** The page's own path and query without `ref`: where the click "went". */
function pageTarget(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete('ref');
  const qs = params.toString();
  return qs ? `${url.pathname}?${qs}` : url.pathname;
}

export const referral = defineMiddleware(async (context, next) => {
  const { url, request } = context;
  const code = url.searchParams.get('ref');
  if (code === null || (request.method !== 'GET' && request.method !== 'HEAD') || url.pathname.startsWith('/r/') || url.pathname.startsWith('/api/')) {
    return next();
  }
  let cookieSet = false;
  try {
    const db = await getDb();
    const result = await recordReferral(db, clickQueue, { code, to: pageTarget(url), ...(await referralRequest(context)) });
    if (result.ok && result.setCookie) {
      await setRefCookie(context.cookies, db, { clickId: result.clickId, creatorId: result.creator.id, at: result.at });
      cookieSet = true;
    }
  } catch (err) {
    console.error('referral click not recorded', err);
  }
  const response = await next();
  // A response that sets the visitor's cookie is theirs alone: no shared cache may keep it.
  return cookieSet ? privateNoStore(response) : response;
});

function privateNoStore(response: Response): Response {
  try {
    response.headers.set('Cache-Control', 'private, no-store');
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set('Cache-Control', 'private, no-store');
    return copy;
  }
}
