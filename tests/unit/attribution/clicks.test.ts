/** The pure click rules (ADR 0010): user-agent classes, redirect targets, dedupe, visitor key. */
import { describe, expect, it } from 'vitest';
import {
  classifyUserAgent,
  DEDUPE_WINDOW_MS,
  newClickId,
  normaliseCode,
  postFromPath,
  referrerHost,
  safeTarget,
  shouldCount,
  visitorHash,
} from '../../../src/server/attribution/index.ts';

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('classifyUserAgent', () => {
  it.each([
    CHROME,
    SAFARI_IOS,
    FIREFOX,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 340.0.0.22.109',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0]',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 TikTok',
    'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
    'Opera/9.80 (Windows NT 6.1) Presto/2.12.388 Version/12.18',
  ])('a person: %s', (ua) => {
    expect(classifyUserAgent(ua)).toBe('browser');
  });

  it.each([
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'facebookexternalhit/1.1 Facebot Twitterbot/1.0', // iMessage
    'Twitterbot/1.0',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'WhatsApp/2.23.20.0 A',
    'TelegramBot (like TwitterBot)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5',
    'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)',
    'redditbot/1.0',
  ])('a link preview: %s', (ua) => {
    expect(classifyUserAgent(ua)).toBe('preview');
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
    'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
    'curl/8.5.0',
    'Wget/1.21.4',
    'python-requests/2.32.3',
    'Go-http-client/2.0',
    'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
    'okhttp/4.12.0',
    'Java/17.0.2',
    'SomeRandomClient/1.0',
    // From isbot's list, never in the hand-kept one:
    'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
    'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (compatible; archive.org_bot +http://www.archive.org/details/archive.org_bot)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 PTST/240201.150413',
    '',
  ])('a bot: %s', (ua) => {
    expect(classifyUserAgent(ua)).toBe('bot');
  });

  it('no header at all is a bot', () => {
    expect(classifyUserAgent(null)).toBe('bot');
    expect(classifyUserAgent(undefined)).toBe('bot');
  });
});

describe('safeTarget — no open redirect', () => {
  const FALLBACK = '/creators/maya-okafor';
  it.each([
    ['/posts/autumn-capsule-wardrobe', '/posts/autumn-capsule-wardrobe'],
    ['/posts/autumn-capsule-wardrobe?utm_source=ig#shop', '/posts/autumn-capsule-wardrobe?utm_source=ig#shop'],
    ['/shop?category=knitwear', '/shop?category=knitwear'],
    ['/', '/'],
    ['/products/wool-coat', '/products/wool-coat'],
    ['/posts/a/../b', '/posts/b'],
    ['/posts/autumn-capsule-wardrobe?ref=JULES', '/posts/autumn-capsule-wardrobe'],
    ['/shop?category=knitwear&ref=JULES#top', '/shop?category=knitwear#top'],
    ['/shop?prefer=1', '/shop?prefer=1'],
  ])('follows the on-site path %s', (to, want) => {
    expect(safeTarget(to, FALLBACK)).toBe(want);
  });

  it.each([
    'https://evil.example/',
    'http://evil.example',
    'https:evil.example',
    'https:/evil.example',
    'javascript:alert(1)',
    'data:text/html,hi',
    'evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '\\\\evil.example',
    ' //evil.example',
    '/%2F%2Fevil.example',
    '%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '%5C%5Cevil.example',
    '/%252F%252Fevil.example', // double-encoded
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n//evil.example',
    '/\u0000/evil.example',
    '/.//evil.example', // the URL parser turns this into "//evil.example"
    '/a/..//evil.example',
    '/./\\evil.example',
    '/..//evil.example',
    '/r/MAYA', // a loop back into the referral route
    '/r/MAYA?to=/r/MAYA',
    `/${'a'.repeat(2000)}`,
    '',
  ])('refuses %j and falls back to the creator page', (to) => {
    expect(safeTarget(to, FALLBACK)).toBe(FALLBACK);
  });

  it('falls back when there is no target', () => {
    expect(safeTarget(null, FALLBACK)).toBe(FALLBACK);
    expect(safeTarget(undefined, FALLBACK)).toBe(FALLBACK);
  });

  it('never returns anything a browser would read as another host', () => {
    const tricky = ['/.//a', '/%2e%2e//a', '/./%2F/a', '/x/../../\\a', '/\u2028/a', '/%E2%80%A8/a', '/%/x'];
    for (const to of tricky) {
      const got = safeTarget(to, FALLBACK);
      expect(new URL(got, 'https://shop.example').origin, to).toBe('https://shop.example');
      expect(got.startsWith('//') || got.startsWith('/\\')).toBe(false);
    }
  });
});

describe('postFromPath', () => {
  it('finds the post slug of a /posts/ path', () => {
    expect(postFromPath('/posts/autumn-capsule-wardrobe')).toBe('autumn-capsule-wardrobe');
    expect(postFromPath('/posts/autumn-capsule-wardrobe/')).toBe('autumn-capsule-wardrobe');
    expect(postFromPath('/posts/autumn-capsule-wardrobe?ref=MAYA')).toBe('autumn-capsule-wardrobe');
    expect(postFromPath('/posts/autumn-capsule-wardrobe#shop')).toBe('autumn-capsule-wardrobe');
  });
  it('is null for anything else', () => {
    for (const p of ['/', '/posts', '/posts/', '/posts/a/b', '/shop', '/creators/maya', '/posts/UPPER', '/posts/%ZZ', '/xposts/a', null, undefined]) {
      expect(postFromPath(p), String(p)).toBeNull();
    }
  });
});

describe('referrerHost', () => {
  it('keeps only the host of http(s) referrers', () => {
    expect(referrerHost('https://www.Instagram.com/p/xyz?igsh=secret')).toBe('www.instagram.com');
    expect(referrerHost('http://t.co/abc')).toBe('t.co');
    expect(referrerHost('android-app://com.google.android.gm/')).toBeNull();
    expect(referrerHost('not a url')).toBeNull();
    expect(referrerHost('')).toBeNull();
    expect(referrerHost(null)).toBeNull();
  });
});

describe('dedupe rule', () => {
  const T = Date.UTC(2026, 10, 20, 12);
  it('counts the first click from a person', () => {
    expect(shouldCount('browser', null, T)).toBe(true);
  });
  it('does not count a repeat within 30 minutes of the last counted click', () => {
    expect(DEDUPE_WINDOW_MS).toBe(30 * 60_000);
    expect(shouldCount('browser', T, T + 1)).toBe(false);
    expect(shouldCount('browser', T, T + DEDUPE_WINDOW_MS - 1)).toBe(false);
  });
  it('counts again once the window has passed', () => {
    expect(shouldCount('browser', T, T + DEDUPE_WINDOW_MS)).toBe(true);
  });
  it('never counts bots or previews', () => {
    expect(shouldCount('bot', null, T)).toBe(false);
    expect(shouldCount('preview', null, T)).toBe(false);
  });
});

describe('visitorHash', () => {
  const secret = 'test-secret-0123456789';
  it('is stable for the same address', () => {
    expect(visitorHash(secret, '203.0.113.7')).toBe(visitorHash(secret, '203.0.113.7'));
  });
  it('differs by address and by secret', () => {
    const h = visitorHash(secret, '203.0.113.7');
    expect(visitorHash(secret, '203.0.113.8')).not.toBe(h);
    expect(visitorHash('another-secret', '203.0.113.7')).not.toBe(h);
  });
  it('keys IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(visitorHash(secret, '2001:db8:1:2::1')).toBe(visitorHash(secret, '2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(visitorHash(secret, '2001:db8:1:3::1')).not.toBe(visitorHash(secret, '2001:db8:1:2::1'));
    expect(visitorHash(secret, '::ffff:203.0.113.7')).toBe(visitorHash(secret, '203.0.113.7'));
  });
  it('does not contain the address', () => {
    const h = visitorHash(secret, '203.0.113.7');
    expect(h).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(h).not.toContain('203');
  });
});

describe('codes and ids', () => {
  it('normalises codes to upper case and refuses junk', () => {
    expect(normaliseCode('maya')).toBe('MAYA');
    expect(normaliseCode(' Maya ')).toBe('MAYA');
    for (const bad of ['', 'M', 'MAYA!', '../MAYA', 'a'.repeat(40), null]) expect(normaliseCode(bad)).toBeNull();
  });
  it('makes unguessable click ids that fit the cookie', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClickId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
