/**
 * The rules an upload must meet and the renditions made from it (docs/decisions/0040-media-uploads.md).
 * Pure: the limits, the refusals in people's words, and which widths are rendered.
 */
import { refuse, type Refusal } from '../shared/index.ts';

export interface ImageLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Most pixels (width × height) decoded: a small file can still unpack into a huge bitmap. */
  maxPixels: number;
  /** Smallest width and height, in pixels. */
  minSide: number;
}

export const MEDIA_LIMITS: ImageLimits = {
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 40_000_000,
  minSide: 64,
};

/** The widths a page may ask for (srcset), ascending. */
export const RENDITION_WIDTHS = [480, 960, 1600] as const;

/** Every upload is stored in both; browsers pick AVIF when they can, WebP otherwise. */
export const RENDITION_FORMATS = ['avif', 'webp'] as const;
export type RenditionFormat = 'avif' | 'webp' | 'jpeg';

/**
 * The widths rendered for an image `width` pixels wide (after EXIF orientation): each standard
 * width narrower than the original, plus the original's own width when it is narrower than the
 * widest standard one — never enlarged, and always at least one.
 * @example renditionWidths(2400) // [480, 960, 1600]
 * @example renditionWidths(600)  // [480, 600]
 * @example renditionWidths(300)  // [300]
 */
export function renditionWidths(width: number): number[] {
  const out: number[] = RENDITION_WIDTHS.filter((w) => w < width);
  if (width <= RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]!) out.push(width);
  return out;
}

/**
 * Why an upload was turned away. The reason stays `invalid` (400) because shared/result.ts has no
 * 413/415 reasons yet; `uploadStatus` gives the exact status from the problem.
 */
export type UploadProblem = 'no_file' | 'empty' | 'too_large' | 'unsupported' | 'damaged' | 'too_many_pixels' | 'too_small';

export type UploadRefusal = Refusal<'invalid'> & { problem: UploadProblem };

const FORMATS_IN_WORDS = 'Upload a JPEG, PNG, WebP, AVIF or GIF.';
const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} megapixels`;

/** The refusal for `problem`, its message written for the person uploading (field `file`). */
export function uploadRefusal(problem: UploadProblem, limits: ImageLimits = MEDIA_LIMITS, detail?: { heic?: boolean }): UploadRefusal {
  const message = (() => {
    switch (problem) {
      case 'no_file':
        return 'Choose an image to upload.';
      case 'empty':
        return 'This file is empty. Choose an image to upload.';
      case 'too_large':
        return `This image is larger than ${megabytes(limits.maxBytes)}. Save a smaller version and upload that.`;
      case 'unsupported':
        return detail?.heic
          ? "We can't read this HEIC photo. Export it as a JPEG and upload that."
          : `This file isn't an image we can use. ${FORMATS_IN_WORDS}`;
      case 'damaged':
        return `This image looks damaged or incomplete. Export it again and upload the new file.`;
      case 'too_many_pixels':
        return `This image has too many pixels (more than ${megapixels(limits.maxPixels)}). Resize it and upload it again.`;
      case 'too_small':
        return `This image is too small. Upload one at least ${limits.minSide} × ${limits.minSide} pixels.`;
    }
  })();
  return { ...refuse('invalid', message, { file: message }), problem };
}

/**
 * The HTTP status an upload refusal is answered with: 413 for a file over the byte limit, 415 for
 * a file that is not an image we accept, 400 otherwise.
 * TODO(risk: a second reason→status map): once shared/result.ts has `too_large: 413` and
 * `unsupported_media: 415`, refuse with those reasons and use `httpStatus` instead.
 */
export function uploadStatus(refusal: { problem?: UploadProblem }): number {
  if (refusal.problem === 'too_large') return 413;
  if (refusal.problem === 'unsupported') return 415;
  return 400;
}
