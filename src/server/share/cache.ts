/**
 * Two in-memory caches behind the share-card routes (ADR 0054):
 *
 * - `CardPngCache`: rendered PNGs by content key (`cardKey`: title, price, names, picture sources,
 *   link). Bounded by bytes, least recently used out first. A new price is a new key, so an entry
 *   can never show an old price; it only ages out.
 * - `CardRouteMemo`: for a card address, the key and PNG it had at a render version (catalog +
 *   content, the render cache's version — ADR 0015). A hit at the same version before `until`
 *   skips reading the post, product and creator again; `until` is the next price boundary (or a
 *   group's end) and at most `recheckMs` after the check, for what the version does not cover (an
 *   admin changing a referral code).
 */

export interface CachedCard {
  key: string;
  png: Uint8Array;
  alt: string;
  /** Epoch ms when what the card shows next changes by the clock (a sale boundary, a group's end); null: nothing scheduled. */
  validUntil: number | null;
}

export class CardPngCache {
  readonly #entries = new Map<string, CachedCard>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): CachedCard | undefined {
    const e = this.#entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, e);
    this.hits++;
    return e;
  }

  set(card: CachedCard): void {
    if (card.png.byteLength > this.maxBytes) return;
    const old = this.#entries.get(card.key);
    if (old) {
      this.#bytes -= old.png.byteLength;
      this.#entries.delete(card.key);
    }
    this.#entries.set(card.key, card);
    this.#bytes += card.png.byteLength;
    while (this.#bytes > this.maxBytes) {
      const [k, v] = this.#entries.entries().next().value!;
      this.#entries.delete(k);
      this.#bytes -= v.png.byteLength;
    }
  }

  readonly #inflight = new Map<string, Promise<CachedCard>>();

  /** The card for `key`, rendering it with `make` on a miss — once, however many ask at the same time. */
  async getOrRender(key: string, make: () => Promise<CachedCard>): Promise<CachedCard> {
    const hit = this.get(key);
    if (hit) return hit;
    let p = this.#inflight.get(key);
    if (!p) {
      p = make().then((card) => {
        this.set(card);
        return card;
      });
      this.#inflight.set(key, p);
      p.then(
        () => this.#inflight.delete(key),
        () => this.#inflight.delete(key),
      );
    }
    return p;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }
}

interface MemoEntry {
  version: number;
  until: number;
  card: CachedCard;
}

export class CardRouteMemo {
  readonly #entries = new Map<string, MemoEntry>();

  constructor(
    readonly maxEntries: number,
    readonly recheckMs = 60_000,
  ) {}

  /** The card last served at `path`, if the version is unchanged and nothing is due by the clock. */
  get(path: string, version: number, now: number): CachedCard | undefined {
    const e = this.#entries.get(path);
    if (!e) return undefined;
    if (e.version !== version || now >= e.until) {
      this.#entries.delete(path);
      return undefined;
    }
    return e.card;
  }

  set(path: string, version: number, now: number, card: CachedCard): void {
    const until = Math.min(now + this.recheckMs, card.validUntil ?? Number.POSITIVE_INFINITY);
    this.#entries.delete(path);
    this.#entries.set(path, { version, until, card });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

/** How long browsers, CDNs and link-preview crawlers may keep a card without asking again. */
export const CARD_MAX_AGE_S = 600;

/**
 * The `Cache-Control` of a card served at `now`: at most CARD_MAX_AGE_S, and never past the next
 * moment the card would change by the clock (a sale boundary, a group's end). A boundary less
 * than a second away means "ask again every time".
 * @example cardCacheControl(null, now) // 'public, max-age=600'
 * @example cardCacheControl(now + 90_500, now) // 'public, max-age=90'
 */
export function cardCacheControl(validUntil: number | null, now: number): string {
  const left = validUntil === null ? CARD_MAX_AGE_S : Math.floor((validUntil - now) / 1000);
  const maxAge = Math.min(CARD_MAX_AGE_S, left);
  return maxAge >= 1 ? `public, max-age=${maxAge}` : 'public, no-cache';
}

/** A strong ETag from the content key. */
export function cardEtag(key: string): string {
  return `"${key}"`;
}

/** Whether an If-None-Match header names this ETag (a list, or `*`). Weak forms match too (RFC 9110 §13.1.2 uses the weak comparison for If-None-Match). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
