import { describe, expect, it } from 'vitest';
import { isCacheableRequest, RenderCache } from '../../../src/server/catalog/index.ts';

const page = (version: number, validUntil = Number.POSITIVE_INFINITY) => ({ body: `v${version}`, headers: [], version, validUntil });

describe('RenderCache', () => {
  it('serves an entry only at the version it was rendered at', () => {
    const c = new RenderCache(10);
    c.set('/posts/a', page(3));
    expect(c.get('/posts/a', 3, 0)?.body).toBe('v3');
    expect(c.get('/posts/a', 4, 0)).toBeUndefined();
    // a stale entry is dropped, not revived by an older version
    expect(c.get('/posts/a', 3, 0)).toBeUndefined();
  });
  it('expires at validUntil (e.g. the next reservation expiry)', () => {
    const c = new RenderCache(10);
    c.set('/p', page(1, 1000));
    expect(c.get('/p', 1, 999)).toBeDefined();
    expect(c.get('/p', 1, 1000)).toBeUndefined();
  });
  it('evicts the least recently used entry beyond its bound', () => {
    const c = new RenderCache(2);
    c.set('/a', page(1));
    c.set('/b', page(1));
    c.get('/a', 1, 0);
    c.set('/c', page(1));
    expect(c.size).toBe(2);
    expect(c.get('/b', 1, 0)).toBeUndefined();
    expect(c.get('/a', 1, 0)).toBeDefined();
  });
  it('stores nothing when disabled', () => {
    const c = new RenderCache(0);
    c.set('/a', page(1));
    expect(c.size).toBe(0);
  });
});

describe('isCacheableRequest', () => {
  const url = (s: string) => new URL(s, 'http://shop.test');
  const personal = ['lb_session', 'lb_bag'];
  it('shares only anonymous GETs without a query string (but a page number)', () => {
    expect(isCacheableRequest('GET', url('/posts/a'), null, personal)).toBe(true);
    expect(isCacheableRequest('GET', url('/posts/a'), 'theme=dark', personal)).toBe(true);
    expect(isCacheableRequest('POST', url('/posts/a'), null, personal)).toBe(false);
    expect(isCacheableRequest('GET', url('/posts/a?ref=maya'), null, personal)).toBe(false);
    expect(isCacheableRequest('GET', url('/posts/a'), 'lb_session=abc.def', personal)).toBe(false);
    expect(isCacheableRequest('GET', url('/posts/a'), 'x=1; lb_bag=42', personal)).toBe(false);
    expect(isCacheableRequest('GET', url('/posts/a'), 'not_lb_bag=1', personal)).toBe(true);
  });
  it('keeps a canonical page number (?page=2), and no other spelling of it', () => {
    expect(isCacheableRequest('GET', url('/creators/maya?page=2'), null, personal)).toBe(true);
    expect(isCacheableRequest('GET', url('/creators/maya?page=50'), null, personal)).toBe(true);
    for (const q of ['?page=02', '?page=0', '?page=', '?page=2&ref=maya', '?ref=maya&page=2', '?page=2x', '?Page=2', '?page=1234567']) {
      expect(isCacheableRequest('GET', url(`/creators/maya${q}`), null, personal), q).toBe(false);
    }
    expect(isCacheableRequest('GET', url('/creators/maya?page=2'), 'lb_session=abc.def', personal)).toBe(false);
  });
});

describe('single-flight rendering', () => {
  it('lets concurrent misses wait for the one render of a page at a version', async () => {
    const c = new RenderCache(10);
    const release = c.beginRender('/posts/a', 5);
    expect(release).not.toBeNull();
    expect(c.beginRender('/posts/a', 5)).toBeNull(); // someone is already rendering it
    const waiters = [c.joinRender('/posts/a', 5), c.joinRender('/posts/a', 5)];
    const p = page(5);
    release!(p);
    expect(await Promise.all(waiters)).toEqual([p, p]);
    expect(c.joined).toBe(2);
    // finished: a new render may start
    expect(c.beginRender('/posts/a', 5)).not.toBeNull();
  });
  it('does not make a request wait for a render at another version', async () => {
    const c = new RenderCache(10);
    c.beginRender('/posts/b', 1);
    expect(await c.joinRender('/posts/b', 2)).toBeUndefined();
    expect(c.beginRender('/posts/b', 2)).not.toBeNull();
  });
  it('an uncacheable render releases its waiters with nothing, so they render themselves', async () => {
    const c = new RenderCache(10);
    const release = c.beginRender('/x', 1)!;
    const waiter = c.joinRender('/x', 1);
    release();
    release(page(1)); // a second call is ignored
    expect(await waiter).toBeUndefined();
  });
});
