/**
 * What kind of image a file is, from its first bytes — never from its name or the Content-Type the
 * browser sent (docs/decisions/0040-media-uploads.md). Pure: the gate in front of sharp, so only
 * the formats we accept ever reach a decoder; an SVG (a document that can carry script), a PDF, a
 * text file or anything else is turned away before libvips looks at it.
 */

/** The formats an upload may be in. `heif` covers HEIC; AVIF is told apart by sharp's metadata. */
export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'heif' | 'tiff';

/** The container families the magic bytes can tell apart (AVIF and HEIC share ISO BMFF). */
export type SniffedFamily = 'jpeg' | 'png' | 'webp' | 'gif' | 'isobmff' | 'tiff';

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

/** ISO BMFF brands of still images: AVIF (`avif`, `avis`), HEIF/HEIC and the generic `mif1`/`msf1`. */
const HEIF_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'mif2']);

/**
 * The image family the bytes start like, or null.
 * @example sniffImageFamily(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'jpeg'
 * @example sniffImageFamily(new TextEncoder().encode('<svg …')) // null
 */
export function sniffImageFamily(bytes: Uint8Array): SniffedFamily | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(b, 8, 12))) return 'isobmff';
  if (b.length >= 4) {
    const head = ascii(b, 0, 2);
    // Classic TIFF is 42 after the byte order, BigTIFF 43.
    if (head === 'II' && (b[2] === 42 || b[2] === 43) && b[3] === 0) return 'tiff';
    if (head === 'MM' && b[2] === 0 && (b[3] === 42 || b[3] === 43)) return 'tiff';
  }
  return null;
}

/** Whether sharp's decoder name (`metadata().format`) agrees with the family the bytes sniffed as. */
export function decoderMatches(family: SniffedFamily, decoder: string): boolean {
  return family === 'isobmff' ? decoder === 'heif' : family === decoder;
}
