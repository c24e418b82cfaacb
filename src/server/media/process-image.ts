/**
 * The image pipeline: an upload's bytes in, its renditions out (docs/decisions/0040-media-uploads.md).
 *
 * 1. Size: over the byte limit or empty → refused before anything is parsed.
 * 2. Type: sniffed from the magic bytes (sniff.ts), then confirmed by sharp's own decoder name.
 *    The file name and the Content-Type are never consulted.
 * 3. Pixels: read from the header (no decode) and refused over the limit; `limitInputPixels` is the
 *    same limit again inside libvips, in case a header lies.
 * 4. Renditions: EXIF orientation applied, every width of `renditionWidths` in AVIF and WebP, never
 *    enlarged. sharp writes no metadata unless asked (no EXIF, GPS, XMP, ICC — colours are
 *    converted to sRGB first), so nothing the camera recorded reaches a reader.
 *    Animated GIF and WebP keep their first frame.
 *
 * The server has two cores and pages must keep being served while someone uploads: uploads are
 * processed one at a time in this process (`oneAtATime`), libvips uses one thread
 * (`sharp.concurrency(1)`), AVIF is encoded at a low effort, and sharp's operation cache — useless
 * for inputs never seen twice — is off.
 */
import sharp, { type Metadata } from 'sharp';
import { MEDIA_LIMITS, RENDITION_FORMATS, renditionWidths, uploadRefusal, type ImageLimits, type RenditionFormat, type UploadRefusal } from './rules.ts';
import { decoderMatches, sniffImageFamily, type SniffedFamily, type SourceFormat } from './sniff.ts';

export interface Rendition {
  width: number;
  height: number;
  format: RenditionFormat;
  bytes: Uint8Array;
}

export interface ProcessedImage {
  sourceFormat: SourceFormat;
  /** After EXIF orientation. */
  width: number;
  height: number;
  /** Ascending by width; AVIF and WebP for each width. */
  renditions: Rendition[];
}

export type ProcessImageResult = ({ ok: true } & ProcessedImage) | UploadRefusal;

const AVIF = { quality: 50, effort: 2 } as const;
const WEBP = { quality: 78, effort: 4 } as const;
/** A stuck decode or encode is stopped rather than holding the one slot forever. */
const TIMEOUT_SECONDS = 60;

let configured = false;
function configureSharp(): void {
  if (configured) return;
  configured = true;
  sharp.concurrency(1);
  sharp.cache(false);
}

let queue: Promise<unknown> = Promise.resolve();
/** Runs `fn` after every earlier call has settled (one image in the CPU at a time, per process). */
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Checks an upload and renders it, or refuses it with a message for the person uploading.
 * @example const r = await processImage(bytes); if (r.ok) r.renditions // [{ width: 480, format: 'avif', … }, …]
 */
export async function processImage(bytes: Uint8Array, limits: ImageLimits = MEDIA_LIMITS): Promise<ProcessImageResult> {
  if (bytes.byteLength === 0) return uploadRefusal('empty', limits);
  if (bytes.byteLength > limits.maxBytes) return uploadRefusal('too_large', limits);
  const family = sniffImageFamily(bytes);
  if (!family) return uploadRefusal('unsupported', limits);
  configureSharp();
  return oneAtATime(() => render(bytes, family, limits));
}

async function render(bytes: Uint8Array, family: SniffedFamily, limits: ImageLimits): Promise<ProcessImageResult> {
  // failOn 'warning': a truncated or corrupt file is refused, not rendered half grey.
  const input = { limitInputPixels: limits.maxPixels, failOn: 'warning', pages: 1 } as const;
  let meta: Metadata;
  try {
    // Reads the header only; libvips already refuses here a header over the pixel limit.
    meta = await sharp(bytes, input).metadata();
  } catch (err) {
    return uploadRefusal(isPixelLimitError(err) ? 'too_many_pixels' : 'damaged', limits);
  }
  if (!decoderMatches(family, meta.format)) return uploadRefusal('unsupported', limits);
  const sourceFormat: SourceFormat = meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : 'heif') : (meta.format as SourceFormat);
  // Header dimensions, before decoding anything (GIF/WebP: one frame, as `pages: 1` loads).
  const frameHeight = meta.pageHeight ?? meta.height;
  if (!meta.width || !frameHeight) return uploadRefusal('damaged', limits);
  if (meta.width * frameHeight > limits.maxPixels) return uploadRefusal('too_many_pixels', limits);
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? frameHeight;
  if (Math.min(width, height) < limits.minSide) return uploadRefusal('too_small', limits);

  const renditions: Rendition[] = [];
  try {
    for (const w of renditionWidths(width)) {
      for (const format of RENDITION_FORMATS) {
        const pipeline = sharp(bytes, input)
          .timeout({ seconds: TIMEOUT_SECONDS })
          .rotate()
          .resize({ width: w, withoutEnlargement: true });
        const encoded = format === 'avif' ? pipeline.avif(AVIF) : pipeline.webp(WEBP);
        const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
        renditions.push({ width: info.width, height: info.height, format, bytes: data });
      }
    }
  } catch (err) {
    if (isPixelLimitError(err)) return uploadRefusal('too_many_pixels', limits);
    // A decoder that cannot read the file: HEIC needs a HEVC decoder sharp's own build lacks.
    return uploadRefusal(sourceFormat === 'heif' ? 'unsupported' : 'damaged', limits, { heic: sourceFormat === 'heif' });
  }
  return { ok: true, sourceFormat, width, height, renditions };
}

function isPixelLimitError(err: unknown): boolean {
  return err instanceof Error && /pixel limit/i.test(err.message);
}
