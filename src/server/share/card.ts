/**
 * A share card's content and its layout (pure: no I/O). The card is 1200×630, the size Open Graph
 * and X's `summary_large_image` previews show uncropped (ADR 0054):
 *
 *   ┌────────────┬──────────────────────────────────────────────┐
 *   │            │ SHOP · KIND                                  │
 *   │   cover    │ Title in Fraunces (CJK falls back to Noto)   │
 *   │  460×630   │ price now  ~~was~~  note                     │
 *   │            │                                              │
 *   │            │ (avatar) Creator name            ┌───────┐   │
 *   │            │          call to action          │  QR   │   │
 *   └────────────┴──────────────────────────────────┴───────┴───┘
 *
 * Satori lays out text and shapes; the three pictures (cover, avatar, QR) are left as boxes at
 * fixed positions (`CARD_BOXES`) and composited by sharp from pre-scaled pixels — decoding and
 * scaling a photo on every render would cost more than the whole layout.
 */
import { createHash } from 'node:crypto';
import type { CardFonts, FontRole } from './fonts.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** Bump when the layout changes, so cached cards and ETags from the old layout are not reused. */
export const CARD_LAYOUT_VERSION = 1;

/** A picture on the card: a site path (`/images/…` from public/, `/media/<id>/…` an upload). */
export interface CardImage {
  src: string;
}

export type CardKind = 'post' | 'product' | 'creator' | 'group' | 'cut';

export interface ShareCardContent {
  kind: CardKind;
  shopName: string;
  /** Small line above the title: "Look", "Knitwear", "Group buy". */
  eyebrow: string;
  title: string;
  /** Already formatted in the shop's currency; `was` struck through; `note` e.g. "Save $40" or "each, in a group of 3". */
  price: { now: string; was: string | null; note: string | null } | null;
  creator: { name: string; initials: string; avatar: CardImage | null } | null;
  cover: CardImage | null;
  /** The credited share link the QR encodes (absolute URL). */
  link: string;
  /** The words under the name: "Scan to shop this look". */
  callToAction: string;
  /** Text for og:image:alt. */
  alt: string;
}

export const CARD_PADDING = 56;
export const COVER_WIDTH = 460;
export const QR_BOX = 176;
export const AVATAR_SIZE = 72;

/** Where the composited pictures go (pixels, top-left origin). */
export const CARD_BOXES = {
  cover: { left: 0, top: 0, width: COVER_WIDTH, height: CARD_HEIGHT },
  qr: { left: CARD_WIDTH - CARD_PADDING - QR_BOX, top: CARD_HEIGHT - CARD_PADDING - QR_BOX, width: QR_BOX, height: QR_BOX },
  avatar: { left: COVER_WIDTH + CARD_PADDING, top: CARD_HEIGHT - CARD_PADDING - QR_BOX + (QR_BOX - AVATAR_SIZE) / 2, width: AVATAR_SIZE, height: AVATAR_SIZE },
} as const;

const INK = '#161514';
const INK_2 = '#4a4641';
const MUTED = '#6b665f';
const PAPER = '#fbfaf7';
const PAPER_2 = '#f2efe9';
const LINE = '#e2ddd5';
const SALE = '#b3261e';
const ACCENT = '#8a3b1f';

/** A plain satori element (what JSX would build), so no React is needed on the server. */
export interface CardElement {
  type: string;
  props: { style?: Record<string, string | number>; children?: CardElement | string | (CardElement | string)[]; [k: string]: unknown };
}

const el = (type: string, style: Record<string, string | number>, children?: CardElement['props']['children']): CardElement => ({
  type,
  props: children === undefined ? { style } : { style, children },
});

/** Longer titles step down in size so they fit in three lines (wide CJK glyphs count double). */
export function titleSize(title: string): number {
  let w = 0;
  for (const ch of title) w += ch.codePointAt(0)! > 0x2e7f ? 2 : 1;
  if (w <= 28) return 64;
  if (w <= 48) return 54;
  if (w <= 72) return 46;
  return 40;
}

/** Cuts a title to what three lines can hold, at a word where there is one, with an ellipsis. */
export function clampTitle(title: string, max = 110): string {
  const chars = [...title.trim()];
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–—-]+$/, '')}…`;
}

/** The texts of each font role, for choosing font subsets (fonts.ts `cardFonts`). */
export function cardTexts(c: ShareCardContent): Record<FontRole, string> {
  return {
    display: `${clampTitle(c.title)} ${c.price?.now ?? ''} …`,
    text: `${c.creator?.name ?? ''} ${c.callToAction} ${c.price?.was ?? ''} ${c.price?.note ?? ''}`,
    strong: `${c.shopName} ${c.eyebrow} ${c.creator?.initials ?? ''}`.toUpperCase() + ' ·',
  };
}

/** The satori element tree of a card. The picture boxes are drawn as plain placeholders. */
export function cardLayout(c: ShareCardContent, fonts: Pick<CardFonts, 'family'>): CardElement {
  const f = fonts.family;
  const size = titleSize(c.title);
  const priceRow = c.price
    ? el('div', { display: 'flex', alignItems: 'baseline', flexWrap: 'wrap', marginTop: 24, fontFamily: f.display, color: c.price.was ? SALE : INK }, [
        el('span', { fontSize: 44, fontWeight: 600 }, c.price.now),
        ...(c.price.was ? [el('span', { fontSize: 28, marginLeft: 16, color: MUTED, textDecoration: 'line-through', fontFamily: f.text, fontWeight: 400 }, c.price.was)] : []),
        ...(c.price.note ? [el('span', { fontSize: 26, marginLeft: 16, color: c.price.was ? SALE : INK_2, fontFamily: f.text, fontWeight: 400 }, c.price.note)] : []),
      ])
    : null;
  const avatarBox = c.creator
    ? c.creator.avatar
      ? el('div', { display: 'flex', width: AVATAR_SIZE, height: AVATAR_SIZE, borderRadius: AVATAR_SIZE / 2, backgroundColor: PAPER_2, flexShrink: 0 })
      : el(
          'div',
          { display: 'flex', alignItems: 'center', justifyContent: 'center', width: AVATAR_SIZE, height: AVATAR_SIZE, borderRadius: AVATAR_SIZE / 2, backgroundColor: ACCENT, color: PAPER, fontFamily: f.strong, fontWeight: 600, fontSize: 28, flexShrink: 0 },
          c.creator.initials,
        )
    : null;
  const byline = el('div', { display: 'flex', alignItems: 'center', flexGrow: 1, minWidth: 0, marginRight: 24 }, [
    ...(avatarBox ? [avatarBox] : []),
    el('div', { display: 'flex', flexDirection: 'column', marginLeft: avatarBox ? 20 : 0, minWidth: 0 }, [
      ...(c.creator ? [el('div', { fontFamily: f.text, fontSize: 30, color: INK, lineClamp: 1 }, c.creator.name)] : []),
      el('div', { fontFamily: f.text, fontSize: 24, color: MUTED, marginTop: 6, lineClamp: 2 }, c.callToAction),
    ]),
  ]);
  const qrBox = el('div', { display: 'flex', width: QR_BOX, height: QR_BOX, flexShrink: 0, backgroundColor: '#ffffff', border: `1px solid ${LINE}` });
  return el('div', { display: 'flex', width: CARD_WIDTH, height: CARD_HEIGHT, backgroundColor: PAPER, color: INK }, [
    el('div', { display: 'flex', width: COVER_WIDTH, height: CARD_HEIGHT, backgroundColor: PAPER_2, flexShrink: 0 }),
    el('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, padding: CARD_PADDING, minWidth: 0 }, [
      el('div', { display: 'flex', fontFamily: f.strong, fontWeight: 600, fontSize: 20, letterSpacing: 2, color: ACCENT }, `${c.shopName} · ${c.eyebrow}`.toUpperCase()),
      el('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, marginTop: 20 }, [
        el('div', { fontFamily: f.display, fontWeight: 600, fontSize: size, lineHeight: 1.12, color: INK, lineClamp: 3 }, clampTitle(c.title)),
        ...(priceRow ? [priceRow] : []),
      ]),
      el('div', { display: 'flex', alignItems: 'center', justifyContent: 'space-between' }, [byline, qrBox]),
    ]),
  ]);
}

/**
 * The cache key and ETag of a card: a hash of everything drawn — title, price, names, picture
 * sources, the link — and the layout version. A price change changes the key, so a cached card is
 * never the old price under a new one.
 * @example cardKey(card) // 'k7…' (base64url of SHA-256, 22 chars)
 */
export function cardKey(c: ShareCardContent): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([CARD_LAYOUT_VERSION, c.kind, c.shopName, c.eyebrow, c.title, c.price, c.creator, c.cover, c.link, c.callToAction]));
  return h.digest('base64url').slice(0, 22);
}
