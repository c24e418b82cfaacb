/**
 * Referral clicks, the pure part (ADR 0010): who is clicking (browser, crawler, link
 * preview), where the click may send them (no open redirect), which post it is about, an
 * anonymous visitor key, and when a repeat click counts.
 *
 * No I/O here: the queue (click-queue.ts) writes, referral.ts composes, pages adapt.
 */
import { sign } from '../shared/index.ts';
import { isbot } from 'isbot';
import { normaliseIp } from '../auth/index.ts';
import { safeNextPath } from '../shared/index.ts';

export type UaClass = 'browser' | 'bot' | 'preview';

/** A repeat click from the same visitor for the same creator within this time counts once. */
export const DEDUPE_WINDOW_MS = 30 * 60_000;

/**
 * Link-preview fetchers: they fetch a shared link to draw a card in a chat or feed. A person may
 * well see that card, but nobody clicked yet. Checked before the crawler patterns, because several
 * contain "bot" (Slackbot-LinkExpanding, TelegramBot, Discordbot, LinkedInBot, Twitterbot). In-app
 * browsers (Instagram, "FBAN", "Twitter for iPhone", Snapchat, LinkedInApp) are people, not previews.
 */
const PREVIEW =
  /facebookexternalhit|\bfacebot|meta-externalagent|twitterbot|slackbot|slack-imgproxy|whatsapp\/|telegrambot|discordbot|linkedinbot|skypeuripreview|redditbot|embedly|iframely|vkshare|mastodon\/|cardyb|snap url preview|line-poker|kakaotalk-scrap|google-pagerenderer|preview/i;

/**
 * Crawlers, monitors, HTTP libraries and automated browsers: the `isbot` package's list (kept up to
 * date upstream, ADR 0022) — recorded, never counted, no cookie. It also names `HeadlessChrome`, so
 * Puppeteer/Playwright-driven Chromium is a bot unless it sets a real user agent.
 */

/**
 * Classifies a User-Agent header. Link previews first (see PREVIEW), then `isbot`; anything else
 * that does not look like a browser (no `Mozilla/` or `Opera/` prefix, or empty) is treated as a
 * bot too: a click only earns when a person made it.
 * @example classifyUserAgent('Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)') // 'preview'
 * @example classifyUserAgent('curl/8.5.0') // 'bot'
 */
export function classifyUserAgent(ua: string | null | undefined): UaClass {
  const s = (ua ?? '').trim();
  if (s === '') return 'bot';
  if (PREVIEW.test(s)) return 'preview';
  if (isbot(s)) return 'bot';
  if (!/^(mozilla|opera)\//i.test(s)) return 'bot';
  return 'browser';
}

/**
 * The host of a Referer header (http/https only, lower-case), or null. Only the host is kept: the
 * full referring URL can carry personal data (search terms, private page paths).
 * @example referrerHost('https://www.instagram.com/p/xyz?igsh=1') // 'www.instagram.com'
 */
export function referrerHost(referer: string | null | undefined): string | null {
  if (!referer || referer.length > 2048) return null;
  try {
    const u = new URL(referer);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.hostname.toLowerCase().slice(0, 253) || null;
  } catch {
    return null;
  }
}

const MAX_TARGET = 1024;
// C0 controls, DEL, and whitespace other than the plain space: browsers strip tabs and newlines
// from URLs ("/\t/evil" becomes "//evil"), so they have no business in a redirect target.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u0080-\u009f\u2028\u2029]/;

/** Percent-decodes repeatedly (a double-encoded "%252F" hides a slash), tolerating bad escapes. */
function decodedForms(s: string): string[] {
  const forms = [s];
  let cur = s;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(cur);
    } catch {
      break;
    }
    if (next === cur) break;
    forms.push(next);
    cur = next;
  }
  return forms;
}

/** A decoded form that a browser (or a lenient proxy) could read as another host or a scheme. */
function looksOffSite(s: string): boolean {
  if (CONTROL.test(s)) return true;
  const t = s.trimStart();
  if (!t.startsWith('/')) return true; // "https:", "javascript:", "evil.com", "\\evil"
  // "//evil", "/\evil", "\/evil" and mixes: a second slash or backslash right after the first.
  return /^[/\\][/\\]/.test(t);
}

/**
 * Where a referral link may send the visitor: a path on this site, or `fallback`. Extends
 * `safeNextPath` (paths.ts) with the cases a public, shareable link attracts: encoded and
 * double-encoded slashes and backslashes, control characters, over-long targets, dot segments
 * that normalise to "//host" (`/.//evil`), and links back into /r/ (a loop of clicks). A `ref`
 * parameter in the target is dropped (it would record a second click on arrival).
 * @example safeTarget('/posts/autumn-capsule-wardrobe', '/creators/maya') // '/posts/autumn-capsule-wardrobe'
 * @example safeTarget('//evil.example', '/creators/maya') // '/creators/maya'
 * @example safeTarget('/%2F%2Fevil.example', '/creators/maya') // '/creators/maya'
 */
export function safeTarget(to: string | null | undefined, fallback: string): string {
  if (to === null || to === undefined || to === '' || to.length > MAX_TARGET) return fallback;
  if (decodedForms(to).some(looksOffSite)) return fallback;
  const path = safeNextPath(to, fallback);
  if (path === fallback) return fallback;
  // safeNextPath returns the URL parser's normalised path: "/a/..//evil" comes back as "//evil".
  if (looksOffSite(path) || decodedForms(path).some(looksOffSite)) return fallback;
  if (path === '/r' || path.startsWith('/r/')) return fallback;
  const out = withoutRefParam(path);
  return out.length > MAX_TARGET ? fallback : out;
}

/** Drops `ref=` from a target: `/r/MAYA?to=/x?ref=JULES` must not record a second click on arrival. */
function withoutRefParam(path: string): string {
  if (!/[?&]ref=/.test(path.split('#')[0]!)) return path;
  const u = new URL(path, 'http://x.invalid');
  u.searchParams.delete('ref');
  return u.pathname + u.search + u.hash;
}

/**
 * The post slug of an on-site path `/posts/<slug>` (query, hash and a trailing slash ignored), or
 * null. Whether the post exists is the caller's question (content lives outside src/server).
 * @example postFromPath('/posts/autumn-capsule-wardrobe?utm_source=ig') // 'autumn-capsule-wardrobe'
 */
export function postFromPath(path: string | null | undefined): string | null {
  if (!path) return null;
  const m = /^\/posts\/([^/?#]+)\/?(?:[?#]|$)/.exec(path);
  if (!m) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return /^[a-z0-9][a-z0-9-]{0,119}$/.test(slug) ? slug : null;
}

/**
 * An anonymous, stable key for "the same visitor": HMAC-SHA256 over the client address (IPv6
 * reduced to its /64, as for the login throttle) with a server secret, so the stored value cannot
 * be reversed to an IP by trying the address space. The user agent is not part of it: a client
 * sends whatever user agent it likes, so with it in the key, one client rotating user agents was
 * 50 "visitors" (ADR 0022). People sharing an address count once per window for the same creator.
 * @example visitorHash(secret, '203.0.113.7') // 'kq3…' (32 chars, base64url)
 */
export function visitorHash(secret: string, ip: string): string {
  return sign(secret, 'visitor', normaliseIp(ip), 32);
}

/**
 * The dedupe rule: a browser click counts unless the same visitor's last *counted* click for the
 * same creator was less than `windowMs` ago. (Repeats do not extend the window, so someone who
 * keeps clicking counts at most once per window.) Bots and previews never count.
 */
export function shouldCount(uaClass: UaClass, lastCountedAt: number | null, now: number, windowMs = DEDUPE_WINDOW_MS): boolean {
  if (uaClass !== 'browser') return false;
  if (lastCountedAt === null) return true;
  return now - lastCountedAt >= windowMs;
}

/** Referral codes are stored upper-case; anything else is not a code (and is not looked up). */
export function normaliseCode(code: string | null | undefined): string | null {
  const c = (code ?? '').trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9_-]{1,31}$/.test(c) ? c : null;
}

/** 144 random bits, URL-safe: the click id that travels in the signed cookie. */
export function newClickId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
}
