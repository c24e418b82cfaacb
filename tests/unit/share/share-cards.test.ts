import { describe, expect, it } from 'vitest';
import {
  cardCacheControl,
  cardKey,
  cardLayout,
  cardTexts,
  CardPngCache,
  CardRouteMemo,
  clampTitle,
  etagMatches,
  faceSubsets,
  parseUnicodeRange,
  qrGeometry,
  subsetsFor,
  CARD_BOXES,
  CARD_HEIGHT,
  CARD_WIDTH,
  type CardElement,
  type ShareCardContent,
} from '../../../src/server/share/index.ts';

const card: ShareCardContent = {
  kind: 'product',
  shopName: 'Lookbook',
  eyebrow: 'Atelier North',
  title: 'Double-faced wool coat',
  price: { now: '$320.00', was: null, note: null },
  creator: { name: 'Maya Okafor', initials: 'MO', avatar: { src: '/images/creators/maya-okafor.svg' } },
  cover: { src: '/images/products/double-faced-wool-coat-camel.svg' },
  link: 'https://shop.example/r/MAYA?to=%2Fproducts%2Fdouble-faced-wool-coat',
  callToAction: 'Scan to shop',
  alt: 'Double-faced wool coat',
};

const texts = (el: CardElement | string): string[] =>
  typeof el === 'string' ? [el] : [el.props.children ?? []].flat().flatMap((c) => texts(c as CardElement | string));

describe('font subsets', () => {
  it('parses unicode ranges, single points and wildcards', () => {
    expect(parseUnicodeRange('U+0041-005A, U+0061,U+4??')).toEqual([
      [0x41, 0x5a],
      [0x61, 0x61],
      [0x400, 0x4ff],
    ]);
  });

  it('chooses only the Noto Sans SC subsets that hold the characters of "秋冬 Capsule 胶囊衣橱"', () => {
    const all = faceSubsets('@fontsource/noto-sans-sc', 'Noto Sans SC', 400);
    expect(all.length).toBeGreaterThan(90);
    const text = '秋冬 Capsule 胶囊衣橱';
    const picked = subsetsFor(all, text);
    // Every CJK character is covered by a chosen subset …
    for (const ch of '秋冬胶囊衣橱') {
      const cp = ch.codePointAt(0)!;
      expect(picked.some((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b)), ch).toBe(true);
    }
    // … and only a handful of files are read, not the whole face.
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(picked.length).toBeLessThanOrEqual(8);
    expect(new Set(picked.map((s) => s.family)).size).toBe(picked.length); // each its own family name
    expect(picked.every((s) => s.file.endsWith('.woff'))).toBe(true); // satori cannot read WOFF2
  });

  it('a Latin title needs only the Latin subset of Inter', () => {
    const picked = subsetsFor(faceSubsets('@fontsource/inter', 'Inter', 400), 'Double-faced wool coat $320');
    expect(picked.map((s) => s.family)).toEqual(['Inter latin 400']);
  });
});

describe('card layout', () => {
  it('is 1200×630 and shows the title, price, creator and call to action', () => {
    const tree = cardLayout(card, { family: { display: '"F"', text: '"T"', strong: '"S"' } });
    expect(tree.props.style).toMatchObject({ width: CARD_WIDTH, height: CARD_HEIGHT });
    const all = texts(tree);
    expect(all).toEqual(expect.arrayContaining(['Double-faced wool coat', '$320.00', 'Maya Okafor', 'Scan to shop', 'LOOKBOOK · ATELIER NORTH']));
  });

  it('draws initials when the creator has no picture', () => {
    const tree = cardLayout({ ...card, creator: { name: 'Ana Test', initials: 'AT', avatar: null } }, { family: { display: '"F"', text: '"T"', strong: '"S"' } });
    expect(texts(tree)).toContain('AT');
  });

  it('cuts a very long title at a word with an ellipsis', () => {
    const long = 'The only guide to autumn layering you will need this year, with twelve outfits, four fabrics and the maths of cost per wear';
    const t = clampTitle(long);
    expect(t.length).toBeLessThanOrEqual(111);
    expect(t.endsWith('…')).toBe(true);
    expect(long.startsWith(t.slice(0, -1))).toBe(true);
  });

  it('puts the picture boxes inside the card', () => {
    for (const b of Object.values(CARD_BOXES)) {
      expect(b.left + b.width).toBeLessThanOrEqual(CARD_WIDTH);
      expect(b.top + b.height).toBeLessThanOrEqual(CARD_HEIGHT);
    }
  });

  it('texts by role include everything drawn, for choosing fonts', () => {
    const t = cardTexts({ ...card, title: '秋冬 Capsule 胶囊衣橱' });
    expect(t.display).toContain('胶囊衣橱');
    expect(t.text).toContain('Maya Okafor');
  });

  it('fits the QR code with whole pixels per module and a quiet zone', () => {
    const { scale, offset } = qrGeometry(33);
    expect(scale).toBeGreaterThanOrEqual(4);
    expect(offset * 2 + scale * 33).toBeLessThanOrEqual(CARD_BOXES.qr.width);
    expect(offset).toBeGreaterThanOrEqual(2 * scale);
  });
});

describe('cache key, ETag and Cache-Control', () => {
  it('changes when the price changes, and only with what is drawn', () => {
    const k = cardKey(card);
    expect(cardKey({ ...card })).toBe(k);
    expect(cardKey({ ...card, price: { now: '$256.00', was: '$320.00', note: 'Save $64' } })).not.toBe(k);
    expect(cardKey({ ...card, link: 'https://shop.example/products/double-faced-wool-coat' })).not.toBe(k);
    expect(cardKey({ ...card, creator: { ...card.creator!, avatar: { src: '/media/abcdefgh/480.webp' } } })).not.toBe(k);
  });

  it('max-age never passes the next price boundary', () => {
    const now = 1_800_000_000_000;
    expect(cardCacheControl(null, now)).toBe('public, max-age=600');
    expect(cardCacheControl(now + 90_500, now)).toBe('public, max-age=90');
    expect(cardCacheControl(now + 3_600_000, now)).toBe('public, max-age=600');
    expect(cardCacheControl(now + 400, now)).toBe('public, no-cache');
    expect(cardCacheControl(now - 1, now)).toBe('public, no-cache');
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"c"', '"b"')).toBe(false);
    expect(etagMatches(null, '"b"')).toBe(false);
  });

  it('the PNG cache is bounded by bytes, oldest out first, and renders a key once', async () => {
    const c = new CardPngCache(10);
    const png = (n: number) => new Uint8Array(n);
    c.set({ key: 'a', png: png(4), alt: '', validUntil: null });
    c.set({ key: 'b', png: png(4), alt: '', validUntil: null });
    c.get('a');
    c.set({ key: 'c', png: png(4), alt: '', validUntil: null });
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.bytes).toBeLessThanOrEqual(10);
    let renders = 0;
    const make = async () => {
      renders++;
      return { key: 'd', png: png(2), alt: '', validUntil: null };
    };
    await Promise.all([c.getOrRender('d', make), c.getOrRender('d', make), c.getOrRender('d', make)]);
    expect(renders).toBe(1);
  });

  it('the route memo ends at a new version, at the price boundary, and after the recheck time', () => {
    const m = new CardRouteMemo(10, 60_000);
    const now = 1_000_000;
    const entry = { key: 'k', png: new Uint8Array(1), alt: '', validUntil: now + 5_000 };
    m.set('/og/products/x.png', 7, now, entry);
    expect(m.get('/og/products/x.png', 7, now + 4_999)).toBe(entry);
    expect(m.get('/og/products/x.png', 8, now + 1)).toBeUndefined();
    m.set('/og/products/x.png', 7, now, entry);
    expect(m.get('/og/products/x.png', 7, now + 5_000)).toBeUndefined();
    m.set('/og/posts/y.png', 7, now, { ...entry, validUntil: null });
    expect(m.get('/og/posts/y.png', 7, now + 59_999)).toBeDefined();
    expect(m.get('/og/posts/y.png', 7, now + 60_000)).toBeUndefined();
  });
});
