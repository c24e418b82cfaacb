/**
 * A product's gallery (db/schema/catalog.ts `product_images`): uploads through the media pipeline,
 * in order, each with its alt text (required — docs/decisions/0043-product-admin.md). The first
 * image is the product's cover: `products.image_path` follows it, so cards, the shop grid and the
 * bag show it with no other change. Each write is one transaction that bumps the catalog version.
 *
 * The catalog cannot import media (media → content → catalog), so the cover's address is asked of
 * the caller (`coverSrc`, the workflow: mediaImage(info).src).
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db.ts';
import { productImages, products } from '../../../db/schema/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import { PLACEHOLDER_IMAGE } from './product-write.ts';

export const MAX_GALLERY_IMAGES = 12;
export const MAX_ALT = 200;

export interface GalleryImage {
  id: number;
  mediaId: string;
  alt: string;
  position: number;
}

/** The address of an upload's default rendition (null: it is not there). */
export type CoverSrc = (tx: DbOrTx, mediaId: string) => Promise<string | null>;

export type GalleryResult = { ok: true } | Refusal<'invalid' | 'not_found' | 'too_many'>;

export async function listProductImages(db: DbOrTx, productId: number): Promise<GalleryImage[]> {
  return db
    .select({ id: productImages.id, mediaId: productImages.mediaId, alt: productImages.alt, position: productImages.position })
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(asc(productImages.position), asc(productImages.id));
}

/** The message for an alt text, or null when it is fine. */
export function altProblem(alt: string): string | null {
  if (!alt.trim()) return 'Describe the image for people who cannot see it (alt text), like "Navy linen shirt, front".';
  if (alt.trim().length > MAX_ALT) return `Alt text can have at most ${MAX_ALT} characters.`;
  return null;
}

/** Renumbers 0…n-1 in the given order and points the product's cover at the first image. */
async function settle(tx: Tx, productId: number, ordered: GalleryImage[], coverSrc: CoverSrc): Promise<void> {
  for (const [i, img] of ordered.entries()) {
    if (img.position !== i) await tx.update(productImages).set({ position: i }).where(eq(productImages.id, img.id));
  }
  const first = ordered[0];
  const product = await tx.select({ imagePath: products.imagePath }).from(products).where(eq(products.id, productId)).get();
  if (!product) return;
  let cover: string | null = first ? await coverSrc(tx, first.mediaId) : null;
  // No gallery left: a cover that was an upload goes back to the placeholder; a site image stays.
  if (cover === null) cover = product.imagePath.startsWith('/media/') ? PLACEHOLDER_IMAGE : product.imagePath;
  await tx.update(products).set({ imagePath: cover, updatedAt: Date.now() }).where(eq(products.id, productId));
  await bumpCatalogVersion(tx);
}

/** Adds an uploaded image at the end of the gallery. */
export async function addProductImage(db: Db, productId: number, { mediaId, alt }: { mediaId: string; alt: string }, coverSrc: CoverSrc): Promise<GalleryResult & { imageId?: number }> {
  const p = altProblem(alt);
  if (p) return refuse('invalid', p, { alt: p });
  return db.transaction(async (tx) => {
    if (!(await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).get())) return refuse('not_found', 'That product no longer exists.');
    const images = await listProductImages(tx, productId);
    if (images.length >= MAX_GALLERY_IMAGES) return refuse('too_many', `A product can have at most ${MAX_GALLERY_IMAGES} images: remove one first.`);
    const row = await tx.insert(productImages).values({ productId, mediaId, alt: alt.trim(), position: images.length }).returning().get();
    await settle(tx, productId, [...images, row], coverSrc);
    return { ok: true as const, imageId: row.id };
  });
}

/** Moves an image one place up (towards the cover) or down. */
export async function moveProductImage(db: Db, productId: number, imageId: number, direction: 'up' | 'down', coverSrc: CoverSrc): Promise<GalleryResult> {
  return db.transaction(async (tx) => {
    const images = await listProductImages(tx, productId);
    const i = images.findIndex((x) => x.id === imageId);
    if (i < 0) return refuse('not_found', 'That image is no longer in the gallery. Reload the page.');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= images.length) return { ok: true as const };
    [images[i], images[j]] = [images[j]!, images[i]!];
    await settle(tx, productId, images, coverSrc);
    return { ok: true as const };
  });
}

/** Sets an image's alt text. */
export async function setProductImageAlt(db: Db, productId: number, imageId: number, alt: string): Promise<GalleryResult> {
  const p = altProblem(alt);
  if (p) return refuse('invalid', p, { [`alt_${imageId}`]: p });
  return db.transaction(async (tx) => {
    const res = await tx.update(productImages).set({ alt: alt.trim() }).where(and(eq(productImages.id, imageId), eq(productImages.productId, productId))).returning({ id: productImages.id });
    if (res.length === 0) return refuse('not_found', 'That image is no longer in the gallery. Reload the page.');
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

/** Takes an image out of the gallery (the upload itself stays in the media library). */
export async function removeProductImage(db: Db, productId: number, imageId: number, coverSrc: CoverSrc): Promise<GalleryResult> {
  return db.transaction(async (tx) => {
    const res = await tx.delete(productImages).where(and(eq(productImages.id, imageId), eq(productImages.productId, productId))).returning({ id: productImages.id });
    if (res.length === 0) return refuse('not_found', 'That image is no longer in the gallery. Reload the page.');
    await settle(tx, productId, await listProductImages(tx, productId), coverSrc);
    return { ok: true as const };
  });
}
