/**
 * Renders a share card to PNG: satori lays out the text (SVG with glyph paths), sharp rasterises
 * it and composites the three pictures from pixels prepared once and kept in memory (ADR 0054).
 */
import satori from 'satori';
import sharp, { type OverlayOptions } from 'sharp';
import QRCode from 'qrcode';
import { CARD_BOXES, CARD_HEIGHT, CARD_WIDTH, cardLayout, cardTexts, type ShareCardContent } from './card.ts';
import { cardFonts } from './fonts.ts';

/** Reads a picture's bytes by its site path; null when there is no such picture. */
export type ImageLoader = (src: string) => Promise<Uint8Array | null>;

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

/** The modules of the QR code of `link` (medium error correction: survives a crease or a logo-free print). */
export function qrMatrix(link: string): { size: number; dark: (row: number, col: number) => boolean } {
  const qr = QRCode.create(link, { errorCorrectionLevel: 'M' });
  const m = qr.modules;
  return { size: m.size, dark: (row, col) => Boolean(m.get(row, col)) };
}

/** Quiet zone around the code, in modules (the QR standard asks for 4; 2 is read by every phone camera we tried, and the card around it is light). */
export const QR_MARGIN = 2;

/**
 * Where each module of the QR code lands on the card: an integer number of pixels per module,
 * centred in the QR box — so a test can read the code back from the PNG.
 */
export function qrGeometry(size: number, box = CARD_BOXES.qr.width): { scale: number; offset: number } {
  const scale = Math.floor(box / (size + 2 * QR_MARGIN));
  const offset = Math.floor((box - scale * size) / 2);
  return { scale, offset };
}

/** The QR code as raw greyscale pixels filling the QR box (ink on white). */
export function qrPixels(link: string): Pixels {
  const box = CARD_BOXES.qr.width;
  const { size, dark } = qrMatrix(link);
  const { scale, offset } = qrGeometry(size, box);
  const data = Buffer.alloc(box * box * 3, 255);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!dark(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const row = (offset + r * scale + y) * box;
        for (let x = 0; x < scale; x++) {
          const i = (row + offset + c * scale + x) * 3;
          data[i] = 0x16;
          data[i + 1] = 0x15;
          data[i + 2] = 0x14;
        }
      }
    }
  }
  return { data, width: box, height: box };
}

/** Prepared pictures, by source and box: decoding and scaling happen once per picture. */
class PixelCache {
  readonly #entries = new Map<string, Promise<Pixels | null>>();
  constructor(readonly max: number) {}
  get(key: string, make: () => Promise<Pixels | null>): Promise<Pixels | null> {
    let p = this.#entries.get(key);
    if (p) {
      this.#entries.delete(key);
      this.#entries.set(key, p);
      return p;
    }
    p = make().catch(() => null);
    this.#entries.set(key, p);
    while (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
    return p;
  }
}

const pictures = new PixelCache(256);

async function prepare(bytes: Uint8Array, width: number, height: number, circle: boolean): Promise<Pixels> {
  // SVG sources (the demo's pictures) are drawn at a density that gives at least the box's size.
  let img = sharp(bytes, { density: 144, limitInputPixels: 40_000_000 }).resize(width, height, { fit: 'cover', position: 'attention' }).flatten({ background: '#f2efe9' });
  if (circle) {
    const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${width / 2}" fill="#fff"/></svg>`);
    img = sharp(await img.png().toBuffer()).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]);
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function picture(load: ImageLoader, src: string, box: { width: number; height: number }, circle: boolean): Promise<Pixels | null> {
  return pictures.get(`${src}|${box.width}x${box.height}|${circle ? 'o' : 's'}`, async () => {
    const bytes = await load(src);
    return bytes ? prepare(bytes, box.width, box.height, circle) : null;
  });
}

const qrs = new PixelCache(512);

export interface RenderedCard {
  png: Uint8Array;
  /** Milliseconds spent, for the benchmark. */
  ms: { layout: number; raster: number; total: number };
}

/**
 * Renders the card to a 1200×630 PNG. Pictures that cannot be read are left as the paper-coloured
 * box (a card is still useful without its cover).
 */
export async function renderCard(card: ShareCardContent, load: ImageLoader): Promise<RenderedCard> {
  const t0 = performance.now();
  const [fonts, cover, avatar, qr] = await Promise.all([
    cardFonts(cardTexts(card)),
    card.cover ? picture(load, card.cover.src, CARD_BOXES.cover, false) : Promise.resolve(null),
    card.creator?.avatar ? picture(load, card.creator.avatar.src, CARD_BOXES.avatar, true) : Promise.resolve(null),
    qrs.get(card.link, async () => qrPixels(card.link)),
  ]);
  const svg = await satori(cardLayout(card, fonts) as unknown as Parameters<typeof satori>[0], { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: fonts.fonts });
  const t1 = performance.now();
  const layers: OverlayOptions[] = [];
  if (cover) layers.push({ input: cover.data, raw: { width: cover.width, height: cover.height, channels: 3 }, left: CARD_BOXES.cover.left, top: CARD_BOXES.cover.top });
  if (avatar) layers.push({ input: avatar.data, raw: { width: avatar.width, height: avatar.height, channels: 4 }, left: CARD_BOXES.avatar.left, top: CARD_BOXES.avatar.top });
  if (qr) layers.push({ input: qr.data, raw: { width: qr.width, height: qr.height, channels: 3 }, left: CARD_BOXES.qr.left, top: CARD_BOXES.qr.top });
  const png = await sharp(Buffer.from(svg))
    .composite(layers)
    .removeAlpha()
    // Fast zlib settings: a card is ~150–400 kB either way, and level 9 costs 3–4× the time.
    .png({ compressionLevel: 4, adaptiveFiltering: false })
    .toBuffer();
  const t2 = performance.now();
  return { png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), ms: { layout: t1 - t0, raster: t2 - t1, total: t2 - t0 } };
}
