import { describe, expect, it } from 'vitest';
import {
  MEDIA_ID,
  MEDIA_LIMITS,
  decoderMatches,
  mediaImage,
  mediaMarkdown,
  mediaSrcset,
  parseMediaFile,
  renditionWidths,
  sniffImageFamily,
  uploadRefusal,
  uploadStatus,
} from '../../../src/server/media/index.ts';

const bytes = (...xs: (number | string)[]) =>
  new Uint8Array(xs.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe('sniffImageFamily', () => {
  it('knows each accepted format by its first bytes', () => {
    expect(sniffImageFamily(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(sniffImageFamily(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png');
    expect(sniffImageFamily(bytes('GIF89a', 1, 0))).toBe('gif');
    expect(sniffImageFamily(bytes('GIF87a'))).toBe('gif');
    expect(sniffImageFamily(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('webp');
    expect(sniffImageFamily(bytes(0, 0, 0, 0x1c, 'ftypavif', 0))).toBe('isobmff');
    expect(sniffImageFamily(bytes(0, 0, 0, 0x18, 'ftypheic', 0))).toBe('isobmff');
    expect(sniffImageFamily(bytes('II', 42, 0, 8))).toBe('tiff');
    expect(sniffImageFamily(bytes('MM', 0, 42, 0))).toBe('tiff');
  });

  it('turns away everything else, whatever it is called', () => {
    expect(sniffImageFamily(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImageFamily(new TextEncoder().encode('<?xml version="1.0"?><svg/>'))).toBeNull();
    expect(sniffImageFamily(new TextEncoder().encode('%PDF-1.7\n'))).toBeNull();
    expect(sniffImageFamily(new TextEncoder().encode('just some text, named photo.jpg'))).toBeNull();
    expect(sniffImageFamily(bytes(0, 0, 0, 0x18, 'ftypmp42'))).toBeNull(); // a video
    expect(sniffImageFamily(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeNull();
    expect(sniffImageFamily(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffImageFamily(new Uint8Array())).toBeNull();
  });

  it('accepts a decoder only for the family the bytes claimed', () => {
    expect(decoderMatches('jpeg', 'jpeg')).toBe(true);
    expect(decoderMatches('isobmff', 'heif')).toBe(true);
    expect(decoderMatches('png', 'svg')).toBe(false);
    expect(decoderMatches('tiff', 'jpeg')).toBe(false);
  });
});

describe('renditionWidths', () => {
  it('renders each standard width below the original, plus the original when narrower than 1600', () => {
    expect(renditionWidths(4000)).toEqual([480, 960, 1600]);
    expect(renditionWidths(1600)).toEqual([480, 960, 1600]);
    expect(renditionWidths(1200)).toEqual([480, 960, 1200]);
    expect(renditionWidths(960)).toEqual([480, 960]);
    expect(renditionWidths(600)).toEqual([480, 600]);
    expect(renditionWidths(480)).toEqual([480]);
    expect(renditionWidths(64)).toEqual([64]);
  });

  it('never enlarges and is ascending', () => {
    for (let w = 64; w < 3000; w += 37) {
      const ws = renditionWidths(w);
      expect(ws.length).toBeGreaterThan(0);
      expect(Math.max(...ws)).toBeLessThanOrEqual(w);
      expect([...ws].sort((a, b) => a - b)).toEqual(ws);
      expect(new Set(ws).size).toBe(ws.length);
    }
  });
});

describe('urls', () => {
  const info = { id: 'AbCdEfGh12345678_-xy', width: 1200, height: 800, widths: [480, 960, 1200] };

  it('builds a srcset per format from the paths module', () => {
    expect(mediaSrcset(info, 'avif')).toBe(
      '/media/AbCdEfGh12345678_-xy/480.avif 480w, /media/AbCdEfGh12345678_-xy/960.avif 960w, /media/AbCdEfGh12345678_-xy/1200.avif 1200w',
    );
  });

  it('falls back to WebP at the middle width, or the wider of two', () => {
    expect(mediaImage(info)).toMatchObject({ src: '/media/AbCdEfGh12345678_-xy/960.webp', width: 1200, height: 800 });
    expect(mediaImage({ ...info, widths: [480, 600] }).src).toBe('/media/AbCdEfGh12345678_-xy/600.webp');
    expect(mediaImage({ ...info, widths: [300] }).src).toBe('/media/AbCdEfGh12345678_-xy/300.webp');
    expect(mediaImage(info).srcsetWebp).toContain('1200.webp 1200w');
  });

  it('the Markdown names the upload the way the studio compiler reads it', () => {
    expect(mediaMarkdown(info.id)).toBe('![](/media/AbCdEfGh12345678_-xy)');
  });

  it('parses only our own file names', () => {
    expect(parseMediaFile('960.avif')).toEqual({ width: 960, format: 'avif' });
    expect(parseMediaFile('1600.webp')).toEqual({ width: 1600, format: 'webp' });
    for (const bad of ['960.png', '9.avif', '12345.avif', '../960.avif', '960.avif.html', '960.AVIF', '']) {
      expect(parseMediaFile(bad), bad).toBeNull();
    }
    expect(MEDIA_ID.test('short')).toBe(false);
    expect(MEDIA_ID.test('../../etc/passwd')).toBe(false);
    expect(MEDIA_ID.test(info.id)).toBe(true);
  });
});

describe('refusals', () => {
  it('speak in people’s words and carry their status', () => {
    const big = uploadRefusal('too_large');
    expect(big).toMatchObject({ ok: false, reason: 'invalid', problem: 'too_large', message: expect.stringContaining('larger than 15 MB') });
    expect(big.fieldErrors?.file).toBe(big.message);
    expect(uploadRefusal('unsupported').message).toBe("This file isn't an image we can use. Upload a JPEG, PNG, WebP, AVIF or GIF.");
    expect(uploadRefusal('too_many_pixels').message).toContain('too many pixels');
    expect(uploadRefusal('too_small', { ...MEDIA_LIMITS, minSide: 64 }).message).toContain('64 × 64');
    expect(uploadStatus(big)).toBe(413);
    expect(uploadStatus(uploadRefusal('unsupported'))).toBe(415);
    expect(uploadStatus(uploadRefusal('damaged'))).toBe(400);
    expect(uploadStatus(uploadRefusal('empty'))).toBe(400);
  });
});
