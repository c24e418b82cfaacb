/**
 * Fonts for share cards, from the npm packages the site already serves (@fontsource/fraunces,
 * @fontsource/inter, @fontsource/noto-sans-sc) — never from an outside host (ADR 0054).
 *
 * Each package ships its faces cut into unicode-range subsets, listed in its `<weight>.css`. A card
 * loads only the subsets whose ranges cover a character of its text: a Latin title needs one file,
 * a Chinese title a few dozen small ones instead of the 1.5 MB whole face. Satori reads TTF, OTF and
 * WOFF, not WOFF2, so the `.woff` file of each subset is used.
 *
 * Each subset is registered under its own family name ("Noto Sans SC 57") and the card's
 * `fontFamily` lists them all in order: satori picks, glyph by glyph, the first listed family that
 * has it. Registering every subset under one name would make satori stop at the first file and
 * draw the missing glyphs as boxes.
 *
 * Parsed CSS and font bytes are kept in memory for the life of the process (bounded by the files
 * in the packages: a few MB at most).
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type CardFontWeight = 400 | 600 | 700;

/** One unicode-range subset of one face, as its package's CSS declares it. */
export interface FontSubset {
  /** The family name satori knows this subset by, e.g. "Noto Sans SC 57 700". */
  family: string;
  weight: CardFontWeight;
  /** Inclusive code point ranges, sorted. */
  ranges: [number, number][];
  /** Absolute path of the subset's .woff file. */
  file: string;
}

/** The faces a card uses, in fallback order for each role. */
export const CARD_FACES = {
  /** Titles and prices: Fraunces, then Noto Sans SC for CJK. */
  display: [
    { pkg: '@fontsource/fraunces', label: 'Fraunces', weight: 600 },
    { pkg: '@fontsource/inter', label: 'Inter', weight: 600 },
    { pkg: '@fontsource/noto-sans-sc', label: 'Noto Sans SC', weight: 700 },
  ],
  /** Names, captions: Inter, then Noto Sans SC. */
  text: [
    { pkg: '@fontsource/inter', label: 'Inter', weight: 400 },
    { pkg: '@fontsource/noto-sans-sc', label: 'Noto Sans SC', weight: 400 },
  ],
  /** Small emphasis (the shop name, "Scan to shop"). */
  strong: [
    { pkg: '@fontsource/inter', label: 'Inter', weight: 600 },
    { pkg: '@fontsource/noto-sans-sc', label: 'Noto Sans SC', weight: 700 },
  ],
} as const satisfies Record<string, readonly { pkg: string; label: string; weight: CardFontWeight }[]>;

export type FontRole = keyof typeof CARD_FACES;

/**
 * Parses one `@fontsource/<x>/<weight>.css`: each `@font-face` block's `.woff` file and
 * unicode-range. Blocks without a range cover everything.
 * @example parseFontsourceCss(css, 'Inter', 400, '/…/inter')[0] // { family: 'Inter latin-ext 400', ranges: [[0x100, 0x2ba], …], … }
 */
export function parseFontsourceCss(css: string, label: string, weight: CardFontWeight, dir: string): FontSubset[] {
  const out: FontSubset[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const woff = /url\(\.\/files\/([^)]+?\.woff)\)\s*format\('woff'\)/.exec(block);
    if (!woff) continue;
    const range = /unicode-range:\s*([^;]+);/.exec(block);
    const ranges = range ? parseUnicodeRange(range[1]!) : [[0, 0x10ffff] as [number, number]];
    // "noto-sans-sc-57-400-normal.woff" → "57"; "inter-latin-ext-600-normal.woff" → "latin-ext".
    const name = woff[1]!.replace(/-\d00-(normal|italic)\.woff$/, '').split('-').slice(label.split(' ').length).join('-');
    out.push({ family: `${label} ${name} ${weight}`, weight, ranges, file: join(dir, 'files', woff[1]!) });
  }
  return out;
}

/**
 * "U+0000-00FF,U+0131,U+4??" → sorted inclusive ranges.
 * @example parseUnicodeRange('U+41-5a,U+61') // [[0x41, 0x5a], [0x61, 0x61]]
 */
export function parseUnicodeRange(value: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const raw of value.split(',')) {
    const part = raw.trim().replace(/^U\+/i, '');
    if (!part) continue;
    if (part.includes('?')) {
      ranges.push([parseInt(part.replace(/\?/g, '0'), 16), parseInt(part.replace(/\?/g, 'f'), 16)]);
    } else if (part.includes('-')) {
      const [a, b] = part.split('-');
      ranges.push([parseInt(a!, 16), parseInt(b!, 16)]);
    } else {
      const n = parseInt(part, 16);
      ranges.push([n, n]);
    }
  }
  return ranges.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b)).sort((x, y) => x[0] - y[0]);
}

function covers(subset: FontSubset, cp: number): boolean {
  // Ranges are sorted: binary search for the last range starting at or before cp.
  const r = subset.ranges;
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r[mid]![0] <= cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && cp <= r[hi]![1];
}

/**
 * The subsets of one face that cover at least one character of `text`, in the CSS's order.
 * Whitespace and control characters need no glyph.
 * @example subsetsFor(notoSubsets, '秋冬 Capsule 胶囊衣橱') // the Noto subsets holding 秋, 冬, 胶, 囊, 衣, 橱 (and Latin)
 */
export function subsetsFor(subsets: readonly FontSubset[], text: string): FontSubset[] {
  const cps = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0)) cps.add(cp);
  }
  return subsets.filter((s) => {
    for (const cp of cps) if (covers(s, cp)) return true;
    return false;
  });
}

const require = createRequire(import.meta.url);
const cssCache = new Map<string, FontSubset[]>();
const fileCache = new Map<string, Promise<ArrayBuffer>>();

/** Every subset of one package at one weight (its CSS parsed once per process). */
export function faceSubsets(pkg: string, label: string, weight: CardFontWeight): FontSubset[] {
  const key = `${pkg}@${weight}`;
  let subsets = cssCache.get(key);
  if (!subsets) {
    const cssPath = require.resolve(`${pkg}/${weight}.css`);
    subsets = parseFontsourceCss(readFileSync(cssPath, 'utf8'), label, weight, dirname(cssPath));
    cssCache.set(key, subsets);
  }
  return subsets;
}

function fontBytes(file: string): Promise<ArrayBuffer> {
  let p = fileCache.get(file);
  if (!p) {
    p = readFile(file).then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    p.catch(() => fileCache.delete(file));
    fileCache.set(file, p);
  }
  return p;
}

/** What satori needs for one card: the font files and, per role, the `fontFamily` fallback chain. */
export interface CardFonts {
  fonts: { name: string; data: ArrayBuffer; weight: CardFontWeight; style: 'normal' }[];
  family: Record<FontRole, string>;
}

/**
 * The fonts for a card whose texts in each role are given: only the covering subsets are read.
 * A role always gets at least its first face's Latin subset (digits and punctuation).
 */
export async function cardFonts(texts: Record<FontRole, string>): Promise<CardFonts> {
  const chosen = new Map<string, FontSubset>();
  const family = {} as Record<FontRole, string>;
  for (const role of Object.keys(CARD_FACES) as FontRole[]) {
    const names: string[] = [];
    // A later face is asked only for what the earlier ones lack: a Latin title reads no CJK file.
    let rest = texts[role];
    for (const face of CARD_FACES[role]) {
      const all = faceSubsets(face.pkg, face.label, face.weight);
      let picked = subsetsFor(all, rest);
      if (picked.length === 0 && names.length === 0) picked = all.filter((s) => s.family.includes(' latin ')).slice(0, 1);
      for (const s of picked) {
        chosen.set(s.family, s);
        names.push(s.family);
      }
      rest = [...rest].filter((ch) => !picked.some((s) => covers(s, ch.codePointAt(0)!))).join('');
    }
    family[role] = names.map((n) => JSON.stringify(n)).join(', ');
  }
  const fonts = await Promise.all(
    [...chosen.values()].map(async (s) => ({ name: s.family, data: await fontBytes(s.file), weight: s.weight, style: 'normal' as const })),
  );
  return { fonts, family };
}
