/**
 * An in-process cache of rendered anonymous pages that show live price and stock (ADR 0003).
 *
 * Freshness: each entry remembers the catalog version it was rendered at. Every hit first reads the
 * current version from the database (one indexed single-row read) and serves the entry only if the
 * version is unchanged and `validUntil` (e.g. the next reservation expiry) has not passed. Every
 * write that changes a price, stock, reservation or active flag bumps the version in its own
 * transaction, so a cached page is never staler than the last committed write — on every instance.
 *
 * Bounded: a simple LRU (Map insertion order) of at most `maxEntries` pages.
 */
export interface CachedPage {
  /** Encoded once when stored, so a hit writes bytes without re-encoding. */
  body: Uint8Array | string;
  headers: [string, string][];
  version: number;
  validUntil: number;
}

export class RenderCache {
  readonly #entries = new Map<string, CachedPage>();
  readonly #inflight = new Map<string, { version: number; promise: Promise<CachedPage | undefined> }>();
  hits = 0;
  misses = 0;
  /** Requests answered by waiting for another request's render (no render of their own). */
  joined = 0;

  constructor(readonly maxEntries: number) {}

  /** The entry for `key` if it is still fresh at `version` and `now`; a stale entry is dropped. */
  get(key: string, version: number, now: number): CachedPage | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    if (entry.version !== version || now >= entry.validUntil) {
      this.#entries.delete(key);
      this.misses++;
      return undefined;
    }
    // Refresh LRU position.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.hits++;
    return entry;
  }

  set(key: string, page: CachedPage): void {
    if (this.maxEntries <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, page);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Single flight: after a catalog change every cached page misses at once; under a spike hundreds
   * of readers would render the same post together. The first miss for (key, version) renders and
   * the others wait for its result. Returns a release function the renderer MUST call (with the
   * page if it could be cached, or nothing), or null if a render is already in flight.
   */
  beginRender(key: string, version: number): ((page?: CachedPage) => void) | null {
    const current = this.#inflight.get(key);
    if (current && current.version === version) return null;
    let resolve!: (page: CachedPage | undefined) => void;
    const promise = new Promise<CachedPage | undefined>((r) => (resolve = r));
    const entry = { version, promise };
    this.#inflight.set(key, entry);
    let done = false;
    return (page) => {
      if (done) return;
      done = true;
      if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
      resolve(page);
    };
  }

  /** The page being rendered for (key, version) by another request, once it is ready; else undefined. */
  async joinRender(key: string, version: number): Promise<CachedPage | undefined> {
    const current = this.#inflight.get(key);
    if (!current || current.version !== version) return undefined;
    const page = await current.promise;
    if (page) this.joined++;
    return page;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * A list's page number in its one canonical form, `?page=2` … (src/server/content/pagination.ts
 * redirects every other spelling): the only query string a shared page may carry — it is part of
 * the cache key, so each page of a list is its own entry.
 */
const CANONICAL_PAGE = /^\?page=[1-9][0-9]{0,5}$/;

/**
 * Only anonymous GETs without personal cookies share a cached page, and only without a query
 * string — or with just a canonical page number (`?page=2`).
 */
export function isCacheableRequest(method: string, url: URL, cookieHeader: string | null, personalCookies: readonly string[]): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (url.search !== '' && !CANONICAL_PAGE.test(url.search)) return false;
  if (!cookieHeader) return true;
  return !personalCookies.some((name) => new RegExp(`(?:^|;\\s*)${name}=`).test(cookieHeader));
}
