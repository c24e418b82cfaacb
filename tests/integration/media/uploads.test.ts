/**
 * Uploads on a real database: processed by sharp, stored with their renditions in one transaction,
 * refused with nothing written, owned by their creator (src/server/media).
 * Test images are made here with sharp and kept small: AVIF encoding is the slow part.
 */
import sharp from 'sharp';
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { media, mediaFiles, users } from '../../../db/schema/index.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import type { Db } from '../../../src/server/db.ts';
import { getMediaInfo, getRendition, listMedia, MEDIA_ID, processImage, saveUpload, uploadStatus } from '../../../src/server/media/index.ts';
import { createTestDb } from '../../helpers/db.ts';

const T0 = Date.UTC(2026, 11, 2, 9);

let db: Db;
let creatorA: number;
let creatorB: number;
let userA: number;
let adminUser: number;

beforeAll(async () => {
  db = await createTestDb();
  creatorA = (await makeCreator(db, { handle: 'ava' })).id;
  creatorB = (await makeCreator(db, { handle: 'ben' })).id;
  userA = (await db.insert(users).values({ email: 'ava@creators.test', passwordHash: 'x', role: 'creator', creatorId: creatorA, createdAt: T0 }).returning().get()).id;
  adminUser = (await db.insert(users).values({ email: 'admin@lookbook.test', passwordHash: 'x', role: 'admin', creatorId: null, createdAt: T0 }).returning().get()).id;
});

/** A picture with some detail (a gradient), so encoders do real work and dimensions matter. */
function picture(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

let hugePng: Promise<Buffer> | undefined;
/** 9000 × 9000 of one colour: a small file (about 250 KB) that would decode to 81 megapixels. */
const huge = () => (hugePng ??= sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer());

async function rowCounts() {
  const [m] = await db.select({ n: count() }).from(media);
  const [f] = await db.select({ n: count() }).from(mediaFiles);
  return { media: m!.n, files: f!.n };
}

async function filesOf(id: string) {
  return db.select().from(mediaFiles).where(eq(mediaFiles.mediaId, id));
}

const upload = (bytes: Uint8Array, ownerCreatorId: number | null = creatorA, uploadedByUserId: number | null = userA) =>
  saveUpload(db, { bytes, ownerCreatorId, uploadedByUserId, now: T0 });

describe('an accepted upload', () => {
  it('stores a PNG with WebP and AVIF renditions at 480 and its own width, never enlarged', async () => {
    const png = await picture(600, 400).png().toBuffer();
    const r = await upload(png);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.media).toMatchObject({ width: 600, height: 400, widths: [480, 600], sourceFormat: 'png' });
    expect(r.media.id).toMatch(MEDIA_ID);
    expect(r.media.id.length).toBeGreaterThanOrEqual(16);

    const row = await db.select().from(media).where(eq(media.id, r.media.id)).get();
    expect(row).toMatchObject({ ownerCreatorId: creatorA, uploadedByUserId: userA, sourceFormat: 'png', width: 600, height: 400, widthsJson: '[480,600]', createdAt: T0 });

    const files = await filesOf(r.media.id);
    expect(files.map((f) => `${f.width}.${f.format}`).sort()).toEqual(['480.avif', '480.webp', '600.avif', '600.webp']);
    for (const f of files) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.format).toBe(f.format === 'avif' ? 'heif' : 'webp');
      expect(meta.width).toBe(f.width);
      expect(meta.height).toBe(f.height);
      expect(f.height).toBe(f.width === 480 ? 320 : 400);
    }
  });

  it('applies EXIF orientation and strips the metadata, GPS included', async () => {
    // Stored 900×500 with "rotate 90° clockwise": people see it 500 wide, 900 tall.
    const jpeg = await picture(900, 500)
      .jpeg({ quality: 80 })
      .withExif({ IFD0: { Make: 'TestCam', Copyright: 'secret-owner' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 26/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 39/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.toString('latin1')).toContain('TestCam'); // the test image really carries EXIF

    const r = await upload(jpeg);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.media).toMatchObject({ width: 500, height: 900, widths: [480, 500], sourceFormat: 'jpeg' });
    const files = await filesOf(r.media.id);
    expect(files).toHaveLength(4);
    for (const f of files) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation ?? 1).toBe(1);
      expect(meta.height).toBeGreaterThan(meta.width); // portrait, as people see it
      const bytes = Buffer.from(f.bytes).toString('latin1');
      expect(bytes).not.toContain('TestCam');
      expect(bytes).not.toContain('secret-owner');
      expect(bytes).not.toContain('Exif');
    }
    expect(files.find((f) => f.width === 500)!.height).toBe(900);
  });

  it('renders 480, 960 and 1600 for a wide image, and only those', async () => {
    const webp = await picture(2000, 400).webp().toBuffer();
    const r = await upload(webp);
    expect(r.ok && r.media).toMatchObject({ width: 2000, height: 400, widths: [480, 960, 1600], sourceFormat: 'webp' });
    if (!r.ok) return;
    const files = await filesOf(r.media.id);
    expect(files.map((f) => `${f.width}x${f.height}.${f.format}`).sort()).toEqual(['1600x320.avif', '1600x320.webp', '480x96.avif', '480x96.webp', '960x192.avif', '960x192.webp']);
  });

  it('takes the first frame of an animated GIF, and reads AVIF and TIFF', async () => {
    const frame = (colour: string) => sharp({ create: { width: 120, height: 90, channels: 3, background: colour } }).png().toBuffer();
    const gif = await sharp([await frame('#f00'), await frame('#00f')], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const g = await processImage(gif);
    expect(g.ok && { f: g.sourceFormat, w: g.width, h: g.height }).toEqual({ f: 'gif', w: 120, h: 90 });
    if (g.ok) {
      const first = g.renditions.find((x) => x.format === 'webp')!;
      const meta = await sharp(first.bytes).metadata();
      expect(meta.pages ?? 1).toBe(1);
      expect(meta.height).toBe(90);
      const { dominant } = await sharp(first.bytes).stats();
      expect(dominant.r).toBeGreaterThan(200); // the red frame, not the blue one
      expect(dominant.b).toBeLessThan(60);
    }

    const avif = await picture(100, 80).avif({ effort: 0 }).toBuffer();
    const a = await processImage(avif);
    expect(a.ok && a.sourceFormat).toBe('avif');
    const tiff = await picture(100, 80).tiff().toBuffer();
    const t = await processImage(tiff);
    expect(t.ok && t.sourceFormat).toBe('tiff');
  });
});

describe('a refused upload writes nothing', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(document.cookie)</script><rect width="400" height="400"/></svg>';
  const cases: [string, () => Promise<Uint8Array>, string, RegExp][] = [
    ['a text file named photo.jpg', async () => new TextEncoder().encode('This is not a photo, whatever its name says.\n'), 'unsupported', /isn't an image we can use/],
    ['an SVG with a script', async () => new TextEncoder().encode(svg), 'unsupported', /isn't an image we can use/],
    ['an SVG behind an XML declaration', async () => new TextEncoder().encode(`<?xml version="1.0"?>${svg}`), 'unsupported', /isn't an image we can use/],
    ['a PDF', async () => new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'), 'unsupported', /isn't an image we can use/],
    ['a truncated JPEG', async () => {
      const full = await picture(400, 300).jpeg().toBuffer();
      return full.subarray(0, Math.floor(full.length / 2));
    }, 'damaged', /damaged or incomplete/],
    ['only a JPEG header', async () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'damaged', /damaged or incomplete/],
    ['0 bytes', async () => new Uint8Array(0), 'empty', /empty/],
    ['a file over 15 MB', async () => {
      const b = new Uint8Array(15 * 1024 * 1024 + 1);
      b.set([0xff, 0xd8, 0xff, 0xe0]);
      return b;
    }, 'too_large', /larger than 15 MB/],
    ['a 9000 × 9000 PNG', huge, 'too_many_pixels', /too many pixels/],
    ['a 40 × 40 PNG', async () => picture(40, 40).png().toBuffer(), 'too_small', /at least 64 × 64/],
  ];

  it.each(cases)('%s', async (_name, make, problem, message) => {
    const bytes = await make();
    const before = await rowCounts();
    const r = await upload(bytes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toBe(problem);
    expect(r.message).toMatch(message);
    expect(r.message).not.toMatch(/vips|sharp|buffer|exceeds/i); // people's words, not the decoder's
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 413 for too large, 415 for not an image, 400 for the rest', async () => {
    const big = await upload(new Uint8Array(16 * 1024 * 1024));
    const text = await upload(new TextEncoder().encode('hello'));
    const truncated = await upload(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    expect([big, text, truncated].map((r) => (r.ok ? 200 : uploadStatus(r)))).toEqual([413, 415, 400]);
  });

  it('the pixel limit is read from the header, before any pixel is decoded', async () => {
    // The first 100 bytes: signature, IHDR and a sliver of IDAT. The size is known, the pixels are
    // not there — were the file decoded, it would be refused as damaged instead (as a small one is).
    const headerOnly = (await huge()).subarray(0, 100);
    const r = await processImage(headerOnly);
    expect(r.ok === false && r.problem).toBe('too_many_pixels');
    const small = await picture(100, 100).png().toBuffer();
    expect(small.length).toBeGreaterThan(100);
    const s = await processImage(small.subarray(0, 100));
    expect(s.ok === false && s.problem).toBe('damaged');
  });
});

describe('ownership and ids', () => {
  it("keeps a creator's upload to that creator; an admin sees every upload", async () => {
    const png = await picture(200, 120).png().toBuffer();
    const a = await upload(png, creatorA, userA);
    const shop = await upload(png, null, adminUser);
    expect(a.ok && shop.ok).toBe(true);
    if (!a.ok || !shop.ok) return;
    const ids = [a.media.id, shop.media.id, 'NoSuchMedia12345', '../etc/passwd'];

    expect([...(await getMediaInfo(db, ids, { ownerCreatorId: creatorA })).keys()]).toEqual([a.media.id]);
    expect((await getMediaInfo(db, ids, { ownerCreatorId: creatorB })).size).toBe(0);
    expect([...(await getMediaInfo(db, ids, { ownerCreatorId: null })).keys()]).toEqual([shop.media.id]);
    expect((await getMediaInfo(db, ids, {})).size).toBe(0);
    const all = await getMediaInfo(db, ids, { anyOwner: true });
    expect([...all.keys()].sort()).toEqual([a.media.id, shop.media.id].sort());
    expect(all.get(a.media.id)).toEqual({ id: a.media.id, width: 200, height: 120, widths: [200] });
  });

  it('gives every upload a new random id; a second upload of the same file never overwrites the first', async () => {
    const png = await picture(160, 100).png().toBuffer();
    const first = await upload(png);
    const second = await upload(png);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.media.id).not.toBe(first.media.id);
    expect(first.media.id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await filesOf(first.media.id)).toHaveLength(2);
    expect(await filesOf(second.media.id)).toHaveLength(2);
  });

  it("lists an owner's uploads newest first", async () => {
    const c = await makeCreator(db, { handle: 'cleo' });
    const png = await picture(100, 100).png().toBuffer();
    const older = await saveUpload(db, { bytes: png, ownerCreatorId: c.id, uploadedByUserId: null, now: T0 });
    const newer = await saveUpload(db, { bytes: png, ownerCreatorId: c.id, uploadedByUserId: null, now: T0 + 1000 });
    if (!older.ok || !newer.ok) throw new Error('upload refused');
    const list = await listMedia(db, c.id);
    expect(list.map((m) => m.id)).toEqual([newer.media.id, older.media.id]);
    expect(list[0]).toMatchObject({ width: 100, height: 100, widths: [100], sourceFormat: 'png', createdAt: T0 + 1000 });
    expect((await listMedia(db, c.id, { limit: 1 })).map((m) => m.id)).toEqual([newer.media.id]);
  });
});

describe('getRendition', () => {
  it('serves the stored bytes of one width and format, and nothing else', async () => {
    const r = await upload(await picture(700, 300).png().toBuffer());
    if (!r.ok) throw new Error(r.message);
    const stored = (await filesOf(r.media.id)).find((f) => f.width === 480 && f.format === 'avif')!;
    const got = await getRendition(db, r.media.id, 480, 'avif');
    expect(got).toMatchObject({ width: 480, height: stored.height, format: 'avif', contentType: 'image/avif' });
    expect(Buffer.from(got!.bytes).equals(Buffer.from(stored.bytes))).toBe(true);
    expect((await getRendition(db, r.media.id, 700, 'webp'))?.contentType).toBe('image/webp');
    expect(await getRendition(db, r.media.id, 960, 'avif')).toBeUndefined(); // never rendered: no enlargement
    expect(await getRendition(db, r.media.id, 480, 'jpeg')).toBeUndefined();
    expect(await getRendition(db, 'NoSuchMedia12345', 480, 'avif')).toBeUndefined();
  });
});
