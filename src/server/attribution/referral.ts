/**
 * Recording a referral (ADR 0010): the one path behind `/r/<code>` and `?ref=<code>`.
 *
 * Looks up the code, decides where the visitor goes (an on-site path, else the creator's page),
 * classifies the user agent, applies the dedupe rule against this process's queue AND the
 * database, and queues the click. The caller redirects or renders, and sets the signed cookie when
 * `setCookie` is true (people only: bots and link previews get no cookie, ever).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { creators } from '../../../db/schema/index.ts';
import { getAppSecret } from '../shared/index.ts';
import { paths } from '../shared/index.ts';
import { classifyUserAgent, newClickId, normaliseCode, postFromPath, referrerHost, safeTarget, shouldCount, visitorHash, type UaClass } from './clicks.ts';
import { lastCountedClickAt, type ClickQueue } from './click-queue.ts';

export interface ReferralInput {
  /** The code as it appeared in the URL (any case). */
  code: string | null | undefined;
  /** The requested on-site target (`?to=` or the page itself); null/invalid → the creator's page. */
  to: string | null | undefined;
  ip: string;
  userAgent: string | null;
  referer: string | null;
  /** Whether a slug is a published post (content lives outside src/server). */
  isPost: (slug: string) => boolean;
  now?: number;
}

export type ReferralResult =
  | {
      ok: true;
      creator: { id: number; handle: string };
      clickId: string;
      at: number;
      /** The safe path to send the visitor to. */
      target: string;
      post: string | null;
      uaClass: UaClass;
      counted: boolean;
      /** True for people (counted or a repeat): the caller (re)sets the attribution cookie. */
      setCookie: boolean;
      /** False when the click could not be queued (queue full: the database is down). */
      queued: boolean;
    }
  | { ok: false; reason: 'unknown_code' };

type CreatorHit = { id: number; handle: string };
const CODE_TTL_MS = 60_000;
const CODE_CACHE_MAX = 1_000;
// Per database handle: tests open several databases in one process, and ids differ between them.
const codeCaches = new WeakMap<Db, Map<string, { creator: CreatorHit; until: number }>>();

/**
 * The creator owning a referral code. Known codes are cached for a minute (a code is read on every
 * click; a changed code may keep working that long). Unknown codes are not cached, so a new code
 * works at once — and they cost one indexed read.
 */
export async function creatorByCode(db: Db, code: string, now = Date.now()): Promise<CreatorHit | null> {
  let cache = codeCaches.get(db);
  if (!cache) codeCaches.set(db, (cache = new Map()));
  const hit = cache.get(code);
  if (hit && hit.until > now) return hit.creator;
  const row = await db.select({ id: creators.id, handle: creators.handle }).from(creators).where(eq(creators.referralCode, code)).get();
  if (!row) {
    cache.delete(code);
    return null;
  }
  if (cache.size >= CODE_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(code, { creator: row, until: now + CODE_TTL_MS });
  return row;
}

/**
 * Records one referral click and says what to do with the visitor.
 * @example
 *   const r = await recordReferral(db, clickQueue, { code: 'maya', to: '/posts/autumn-capsule-wardrobe', ip, userAgent, referer, isPost });
 *   if (!r.ok) → 404;  if (r.setCookie) set lb_ref = signRef(secret, { clickId: r.clickId, creatorId: r.creator.id, at: r.at });  redirect(r.target)
 */
export async function recordReferral(db: Db, queue: ClickQueue, input: ReferralInput): Promise<ReferralResult> {
  const now = input.now ?? Date.now();
  const code = normaliseCode(input.code);
  if (!code) return { ok: false, reason: 'unknown_code' };
  const creator = await creatorByCode(db, code, now);
  if (!creator) return { ok: false, reason: 'unknown_code' };

  const target = safeTarget(input.to, paths.creator(creator.handle));
  const slug = postFromPath(target);
  const post = slug !== null && input.isPost(slug) ? slug : null;
  const ua = (input.userAgent ?? '').slice(0, 512);
  const uaClass = classifyUserAgent(ua);
  const visitor = visitorHash(await getAppSecret(db, 'visitor_hash'), input.ip);

  let counted = false;
  if (uaClass === 'browser') {
    const since = now - queue.windowMs;
    const fromDb = await lastCountedClickAt(db, visitor, creator.id, since);
    // Read the queue only after the database answered, and enqueue in the same synchronous step:
    // a concurrent click from the same visitor is then either seen here or sees this one.
    const fromQueue = queue.lastCountedAt(visitor, creator.id, now);
    const last = Math.max(fromDb ?? -Infinity, fromQueue ?? -Infinity);
    counted = shouldCount(uaClass, Number.isFinite(last) ? last : null, now, queue.windowMs);
  }
  const clickId = newClickId();
  const queued = queue.enqueue({
    id: clickId,
    creatorId: creator.id,
    post,
    target,
    visitorHash: visitor,
    uaClass,
    referrerHost: referrerHost(input.referer),
    counted,
    at: now,
  });
  return { ok: true, creator, clickId, at: now, target, post, uaClass, counted, setCookie: uaClass === 'browser', queued };
}
