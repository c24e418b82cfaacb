/**
 * Addresses of uploaded images and the `<img>`/`<picture>` attributes pages render them with. Pure.
 * A rendition's URL is `/media/<id>/<width>.<format>` (shared/paths.ts): the bytes behind it never
 * change, so it is cached for a year (docs/decisions/0040-media-uploads.md).
 */
import type { MediaInfo } from '../content/index.ts';
import { paths } from '../shared/index.ts';
import type { RenditionFormat } from './rules.ts';

/** Media ids are server-chosen (media-store.ts `newMediaId`); anything else is not one. */
export const MEDIA_ID = /^[A-Za-z0-9_-]{8,40}$/;
const MEDIA_FILE = /^(\d{2,4})\.(avif|webp|jpeg)$/;

/**
 * The width and format a rendition's file name asks for, or null when it is not one of ours.
 * @example parseMediaFile('960.avif') // { width: 960, format: 'avif' }
 * @example parseMediaFile('../x')     // null
 */
export function parseMediaFile(file: string): { width: number; format: RenditionFormat } | null {
  const m = MEDIA_FILE.exec(file);
  if (!m) return null;
  return { width: Number(m[1]), format: m[2] as RenditionFormat };
}

/**
 * A srcset of every rendered width in one format.
 * @example mediaSrcset({ id: 'abc12345', width: 1200, height: 800, widths: [480, 960, 1200] }, 'avif')
 * // '/media/abc12345/480.avif 480w, /media/abc12345/960.avif 960w, /media/abc12345/1200.avif 1200w'
 */
export function mediaSrcset(info: MediaInfo, format: RenditionFormat): string {
  return info.widths.map((w) => `${paths.media(info.id, w, format)} ${w}w`).join(', ');
}

export interface MediaImage {
  /** The fallback `src`: WebP at the middle width (or the wider of two). */
  src: string;
  srcsetAvif: string;
  srcsetWebp: string;
  /** The image's own size, for `width`/`height` attributes (no layout shift). */
  width: number;
  height: number;
}

/**
 * What a page needs to render an upload in a `<picture>`: an AVIF `<source>`, a WebP `<source>` and
 * an `<img src>` fallback.
 */
export function mediaImage(info: MediaInfo): MediaImage {
  const middle = info.widths[Math.floor(info.widths.length / 2)] ?? info.width;
  return {
    src: paths.media(info.id, middle, 'webp'),
    srcsetAvif: mediaSrcset(info, 'avif'),
    srcsetWebp: mediaSrcset(info, 'webp'),
    width: info.width,
    height: info.height,
  };
}

/**
 * The Markdown a creator pastes into a post for an upload. `/media/<id>` names the image, not a
 * file: the studio compiler resolves it to a `<picture>` of the upload's renditions.
 * @example mediaMarkdown('abc12345') // '![](/media/abc12345)'
 */
export function mediaMarkdown(id: string): string {
  return `![](/media/${id})`;
}
