/**
 * Uploaded images in the database (db/schema/content.ts `media`, `media_files`;
 * docs/decisions/0040-media-uploads.md). Every app instance shares only the database, so the bytes
 * of every rendition live there too and any instance can serve any upload.
 *
 * An upload is processed first (CPU, outside any transaction: the write lock is never held while
 * sharp works), then its `media` row and all its renditions are written in one transaction — a
 * reader sees an upload with every file or not at all. Ids are random and chosen here; nothing a
 * person typed becomes an id or a path. A creator uses only their own uploads; admins any
 * (`getMediaInfo`).
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { media, mediaFiles } from '../../../db/schema/index.ts';
import type { Db, DbOrTx } from '../db.ts';
import type { MediaInfo } from '../content/index.ts';
import { MEDIA_ID } from './media-urls.ts';
import { processImage, type ProcessedImage } from './process-image.ts';
import { MEDIA_LIMITS, type ImageLimits, type RenditionFormat, type UploadRefusal } from './rules.ts';
import type { SourceFormat } from './sniff.ts';

/**
 * A new media id: 120 random bits as base64url (20 characters of [A-Za-z0-9_-]), so ids cannot be
 * guessed or enumerated and always pass `MEDIA_ID`.
 */
export function newMediaId(): string {
  return randomBytes(15).toString('base64url');
}

export interface SaveUploadInput {
  bytes: Uint8Array;
  /** The creator the upload belongs to; null: the shop's own. */
  ownerCreatorId: number | null;
  uploadedByUserId: number | null;
  now: number;
  limits?: ImageLimits;
}

export type SaveUploadResult = { ok: true; media: MediaInfo & { sourceFormat: SourceFormat } } | UploadRefusal;

/**
 * Checks and renders an upload, then stores it with its renditions.
 * @example const r = await saveUpload(db, { bytes, ownerCreatorId: 3, uploadedByUserId: 7, now: Date.now() });
 */
export async function saveUpload(db: Db, input: SaveUploadInput): Promise<SaveUploadResult> {
  const processed = await processImage(input.bytes, input.limits ?? MEDIA_LIMITS);
  if (!processed.ok) return processed;
  const saved = await db.transaction((tx) => storeProcessedImage(tx, processed, input));
  return { ok: true, media: saved };
}

/**
 * Writes an image `processImage` already accepted — its `media` row and every rendition — inside
 * the caller's transaction, so an upload can be committed together with what it belongs to (a
 * review and its photos: all or nothing). Call it on a transaction handle.
 */
export async function storeProcessedImage(
  tx: DbOrTx,
  processed: ProcessedImage,
  owner: { ownerCreatorId: number | null; uploadedByUserId: number | null; now: number },
): Promise<MediaInfo & { sourceFormat: SourceFormat }> {
  const id = newMediaId();
  const widths = [...new Set(processed.renditions.map((r) => r.width))].sort((a, b) => a - b);
  await tx.insert(media).values({
    id,
    ownerCreatorId: owner.ownerCreatorId,
    uploadedByUserId: owner.uploadedByUserId,
    sourceFormat: processed.sourceFormat,
    width: processed.width,
    height: processed.height,
    widthsJson: JSON.stringify(widths),
    createdAt: owner.now,
  });
  await tx.insert(mediaFiles).values(
    processed.renditions.map((r) => ({
      mediaId: id,
      width: r.width,
      format: r.format,
      height: r.height,
      bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength),
    })),
  );
  return { id, width: processed.width, height: processed.height, widths, sourceFormat: processed.sourceFormat };
}

/** Whose uploads a caller may use: a creator their own (`ownerCreatorId`; null is the shop's), an admin any. */
export interface MediaScope {
  ownerCreatorId?: number | null;
  anyOwner?: boolean;
}

/**
 * The uploads among `ids` the caller may use, by id; ids that do not exist, are not ids, or belong
 * to someone else are simply absent.
 * @example const infos = await getMediaInfo(db, ['Ab3…'], { ownerCreatorId: user.creatorId });
 */
export async function getMediaInfo(db: DbOrTx, ids: readonly string[], scope: MediaScope): Promise<Map<string, MediaInfo>> {
  const wanted = [...new Set(ids)].filter((id) => MEDIA_ID.test(id));
  if (wanted.length === 0) return new Map();
  let mine: SQL | undefined;
  if (scope.anyOwner) mine = undefined;
  else if (scope.ownerCreatorId === null) mine = isNull(media.ownerCreatorId);
  else if (scope.ownerCreatorId !== undefined) mine = eq(media.ownerCreatorId, scope.ownerCreatorId);
  else return new Map(); // neither an owner nor "any": nothing is the caller's
  const rows = await db
    .select({ id: media.id, width: media.width, height: media.height, widthsJson: media.widthsJson })
    .from(media)
    .where(and(inArray(media.id, wanted), mine));
  return new Map(rows.map((r) => [r.id, toInfo(r)]));
}

export interface RenditionFile {
  bytes: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
  format: RenditionFormat;
  contentType: string;
}

const CONTENT_TYPES: Record<RenditionFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };

/** One stored rendition, or undefined when there is no such upload, width or format. Anyone may read it. */
export async function getRendition(db: DbOrTx, id: string, width: number, format: RenditionFormat): Promise<RenditionFile | undefined> {
  if (!MEDIA_ID.test(id)) return undefined;
  const row = await db
    .select({ bytes: mediaFiles.bytes, height: mediaFiles.height })
    .from(mediaFiles)
    .where(and(eq(mediaFiles.mediaId, id), eq(mediaFiles.width, width), eq(mediaFiles.format, format)))
    .get();
  if (!row) return undefined;
  // libSQL hands back a Buffer over a plain ArrayBuffer; the view avoids copying it.
  const bytes = row.bytes as Uint8Array;
  return { bytes: new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), width, height: row.height, format, contentType: CONTENT_TYPES[format] };
}

export interface MediaListItem extends MediaInfo {
  sourceFormat: string;
  createdAt: number;
}

/**
 * An owner's uploads, newest first ("my uploads"); `ownerCreatorId` null lists the shop's own.
 */
export async function listMedia(db: DbOrTx, ownerCreatorId: number | null, { limit = 60 }: { limit?: number } = {}): Promise<MediaListItem[]> {
  const rows = await db
    .select({ id: media.id, width: media.width, height: media.height, widthsJson: media.widthsJson, sourceFormat: media.sourceFormat, createdAt: media.createdAt })
    .from(media)
    .where(ownerCreatorId === null ? isNull(media.ownerCreatorId) : eq(media.ownerCreatorId, ownerCreatorId))
    .orderBy(desc(media.createdAt), sql`rowid desc`)
    .limit(Math.max(1, Math.min(limit, 500)));
  return rows.map((r) => ({ ...toInfo(r), sourceFormat: r.sourceFormat, createdAt: r.createdAt }));
}

function toInfo(r: { id: string; width: number; height: number; widthsJson: string }): MediaInfo {
  return { id: r.id, width: r.width, height: r.height, widths: parseWidths(r.widthsJson) };
}

function parseWidths(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((w): w is number => Number.isInteger(w) && w > 0).sort((a, b) => a - b) : [];
  } catch {
    return [];
  }
}

/**
 * Deletes a reader's photos that nothing shows any more (their review deleted, or a photo dropped
 * from it) with every rendition, so their addresses answer 404. Only pictures this reader uploaded,
 * owned by no creator, and no longer on any review are deleted.
 */
export async function deleteReaderPhotos(tx: DbOrTx, { ids, uploadedByUserId }: { ids: readonly string[]; uploadedByUserId: number }): Promise<number> {
  if (ids.length === 0) return 0;
  const unused = await tx
    .select({ id: media.id })
    .from(media)
    .where(
      and(
        inArray(media.id, [...new Set(ids)]),
        eq(media.uploadedByUserId, uploadedByUserId),
        isNull(media.ownerCreatorId),
        // Table-qualified: in a select from `media` alone Drizzle leaves column names bare.
        sql`not exists (select 1 from "review_photos" rp where rp."media_id" = "media"."id")`,
      ),
    );
  const gone = unused.map((u) => u.id);
  if (gone.length === 0) return 0;
  await tx.delete(mediaFiles).where(inArray(mediaFiles.mediaId, gone));
  await tx.delete(media).where(inArray(media.id, gone));
  return gone.length;
}
